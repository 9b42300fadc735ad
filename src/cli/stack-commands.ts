import type { Command } from "commander";
import type { Io, SetExit } from "./io";
import { addListCommand } from "./stack/list-command";
import { addReportCommand } from "./stack/report-command";
import { addStartCommand } from "./stack/start-command";
import { addStopCommand } from "./stack/stop-command";
import { addApprovalCommands } from "./stack/approve-command";
import { addWatchCommand } from "./stack/watch-command";

/** The commands that act on a deployed stack, each in its own file under stack/. */
export function addStackCommands(program: Command, io: Io, setExit: SetExit): void {
  addStartCommand(program, io, setExit);
  addWatchCommand(program, io, setExit);
  addStopCommand(program, io, setExit);
  addApprovalCommands(program, io, setExit);
  addListCommand(program, io, setExit);
  addReportCommand(program, io, setExit);
}
