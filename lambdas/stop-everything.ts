import { fisExperiments } from "../src/aws/fis-control";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { systemClock } from "../src/aws/powertools";
import { createStopEverything } from "../src/handlers/stop-everything";
import { deleteAlarmMute } from "../src/aws/alarm-mutes";

export const handler = lambdaEntry("stop-everything", () =>
  createStopEverything({ experiments: fisExperiments(), clock: systemClock, mutes: { unmute: deleteAlarmMute() } }),
);
