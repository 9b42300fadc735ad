import { existsSync, mkdirSync } from "node:fs";
import { worldSchema } from "../sim/world-schema";
import { DECLARE_HELP, parseDeclaration, type DeclaredEffect } from "../sim/actions/declared-effects";
import { dirname, join, resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { APPROVAL_CHOICES, type ApprovalChoice } from "../local/approval-choices";
import pc from "picocolors";
import { printable } from "../core/report/text";
import { chartLibrary } from "../assets/chart-library";
import { GAME_DAY_ERRORS } from "../core/contract/errors";
import { EXIT, EXIT_CODES } from "../core/contract/exit-codes";
import type { PlanInput } from "../core/plan/schema";
import type { Problem } from "../core/problems";
import { alarmNameOfArn } from "../core/probes/alarms";
import { canBeBaseline, compareReports } from "../core/report/compare";
import { renderHtml } from "../core/report/html";
import { renderMarkdown } from "../core/report/markdown";
import type { Report } from "../core/report/model";
import { recoveryText, usd } from "../core/report/text";
import type { FisTemplate } from "../core/template/schema";
import { formatSeconds } from "../core/time/duration";
import { hasErrors, loadInput } from "../inputs/documents";
import { fitWorldToCalendars, fitWorldToTemplate } from "../sim/fit-world";
import { checkOutputFile, checkOutputFolder, removeAbandonedTemporaryFiles, writeFileAtomic } from "../inputs/files";
import { loadWorld, unpublishedProbeMetrics } from "../local/inputs";
import { loadStackPolicies, StackTemplateError, type StackPolicies } from "../local/iam/stack-policies";
import { DEFAULT_STACK_NAME } from "../core/contract/stack-names";
import type { SimulatedAccount } from "../sim/account";
import { FAULT_SPEC_HELP, formatFaultSpec, parseFaultSpec, type FaultSpec } from "../sim/faults";
import type { WorldDefinition } from "../sim/world-schema";
import { examplesFor } from "./examples";
import { printProblems, type Io, type SetExit } from "./io";
import { ProgressView } from "./progress";
import { readReportFile } from "./report-file";

const declareOption = (value: string, previous: DeclaredEffect[]) => {
  try {
    return [...previous, parseDeclaration(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

const faultOption = (value: string, previous: FaultSpec[]) => {
  let spec: FaultSpec;
  try {
    spec = parseFaultSpec(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  const same = previous.find((p) => faultKey(p) === faultKey(spec));
  if (same)
    throw new InvalidArgumentError(
      `--fault ${value}: ${faultKey(spec)} is already given (${formatFaultSpec(same)}); give each fault once`,
    );
  return [...previous, spec];
};

/** What makes two --fault values the same fault: the kind, and for throttles the service. */
const faultKey = (spec: FaultSpec) => (spec.kind === "throttle" ? `throttle:${spec.service}` : spec.kind);

/** Seeds are plain decimal integers: "", "0x10" and "1e308" are typos, not seeds. */
const seedOption = (value: string) => {
  if (!/^\d{1,9}$/.test(value))
    throw new InvalidArgumentError("the seed must be a whole decimal number from 0 to 999999999");
  return Number(value);
};

/**
 * Template references by FIS id that the simulated account does not hold: a rehearsal can start only templates it
 * has the JSON of (by `name` or `file`), so such a plan is refused before it starts, with the reference's path.
 */
function unknownTemplateIds(plan: PlanInput, account: SimulatedAccount): string[] {
  return plan.stages.flatMap((stage, s) =>
    stage.experiments.flatMap((experiment, e) => {
      const reference = experiment.template as { id?: string };
      if (reference.id === undefined || account.fis.templates.has(reference.id)) return [];
      return [
        `stages[${s}].experiments[${e}].template: FIS template ${reference.id} is not in the simulated account; ` +
          "a rehearsal needs the template itself: name it by `name` (templates/<name>.json) or `file`",
      ];
    }),
  );
}

/**
 * Stop-condition alarms the world does not have: in the rehearsal they can never fire, so the experiment runs
 * unguarded by them; in AWS the stack points each at the alarm of that name, which must exist.
 */
function missingStopConditionAlarms(templates: Map<string, FisTemplate>, world: WorldDefinition): Problem[] {
  const alarms = new Set(world.alarms.map((a) => a.name));
  return [...templates].flatMap(([file, template]) =>
    template.stopConditions.flatMap((condition, i): Problem[] => {
      if (condition.source !== "aws:cloudwatch:alarm" || !condition.value) return [];
      const name = alarmNameOfArn(condition.value);
      if (alarms.has(name)) return [];
      return [
        {
          severity: "warning",
          file,
          path: `stopConditions[${i}]`,
          message: `alarm ${name} is not in world ${world.name} (its alarms: ${[...alarms].join(", ") || "none"}), so it can never stop this rehearsal; in AWS it must exist in the account and Region`,
        },
      ];
    }),
  );
}

/** Thrown when a file the user named cannot be used: the CLI says why and exits 2 before anything starts. */
class UnusableFileError extends Error {}

/** Where `npx cdk synth` writes the stack gameday start would use. */
const defaultStackTemplate = () => join("cdk.out", `${process.env.GAMEDAY_STACK ?? DEFAULT_STACK_NAME}.template.json`);

/** The synthesized stack's policies: from --stack-template (which must be usable), else cdk.out's when present. */
function stackPoliciesFor(file: string | undefined): { policies: StackPolicies; file: string } | undefined {
  const path = file ?? defaultStackTemplate();
  if (!file && !existsSync(path)) return undefined;
  try {
    return { policies: loadStackPolicies(path), file: path };
  } catch (error) {
    if (!(error instanceof StackTemplateError)) throw error;
    throw new UnusableFileError(`--stack-template ${error.message}`);
  }
}

/**
 * The report named by --compare: it must exist, be a report, and be of the same plan, or the rehearsal is refused
 * before it starts (a comparison silently dropped would read as "no regression").
 */
function readCompareFile(file: string, planName: string): Report {
  const read = readReportFile(file);
  if ("problem" in read) throw new UnusableFileError(`--compare ${file}: ${read.problem}`);
  const previous = read.report;
  if (previous.plan.name !== planName)
    throw new UnusableFileError(
      `--compare ${file}: a report of plan "${previous.plan.name}", not of "${planName}"; compare reports of the same plan`,
    );
  if (!canBeBaseline(previous))
    throw new UnusableFileError(
      `--compare ${file}: its verdict is ${previous.verdict}; only a PASSED or FAILED report can be compared with`,
    );
  return previous;
}

/** The report already in the output folder, when it could be compared with (same plan, PASSED or FAILED). */
function previousInOutput(file: string, planName: string): Report | undefined {
  try {
    return readCompareFile(file, planName);
  } catch {
    return undefined;
  }
}

export function addRehearseCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("rehearse")
    .addHelpText("after", examplesFor("rehearse"))
    .description(
      "Run the real game-day state machine against a simulated AWS account.\nExit 0 PASSED, 1 FAILED (hypothesis broken), 2 invalid input (nothing started), 3 ABORTED or ERROR, 4 INCONCLUSIVE (nothing could be judged).",
    )
    .argument("<file>", "a plan, or a bare FIS experiment template (rehearsed with the world's default hypothesis)")
    .option("--seed <n>", "seed of the simulated account (same seed, same rehearsal)", seedOption, 1)
    .option("--out <dir>", "where report.json, report.md and report.html are written (default: reports/<plan>)")
    .option("--world <file>", "a world file describing the simulated workload (default: worlds/web-shop.json)")
    .option("--json", "print only the report JSON on stdout")
    .option(
      "--history <file>",
      "also write the execution history Step Functions would keep (replay it with gameday watch FILE)",
    )
    .option(
      "--compare <file>",
      "an earlier PASSED or FAILED report.json of the same plan to flag regressions against (default: the report already in --out)",
    )
    .option(
      "--stack-template <file>",
      "the synthesized stack whose IAM policies every simulated call is checked against (default: cdk.out/<stack>.template.json when present)",
    )
    .option("--change-freeze", "rehearse as if every change calendar the plan names were CLOSED")
    .option("--declare <declaration>", DECLARE_HELP, declareOption, [] as DeclaredEffect[])
    .addOption(
      new Option(
        "--approval <decision>",
        "what the person asked for approval does, for a plan with approval (default: approve)",
      ).choices(APPROVAL_CHOICES),
    )
    .option(
      "--fault <spec>",
      `inject a failure into the simulated account (repeatable):\n${FAULT_SPEC_HELP}`,
      faultOption,
      [] as FaultSpec[],
    )
    .action(async (file: string, options: RehearseOptions) => setExit(await rehearseFile(file, options, io)));
}

interface RehearseOptions {
  seed: number;
  out?: string;
  world?: string;
  json?: boolean;
  fault: FaultSpec[];
  compare?: string;
  history?: string;
  stackTemplate?: string;
  changeFreeze?: boolean;
  approval?: ApprovalChoice;
  declare: DeclaredEffect[];
}

/** A rehearsal whose inputs have all been checked: nothing it will read or write can refuse it afterwards. */
interface ReadyRehearsal {
  file: string;
  plan: PlanInput;
  templates: Map<string, FisTemplate>;
  world: WorldDefinition;
  account: SimulatedAccount;
  outDir: string;
  compareWith?: Report;
  /** The synthesized stack's policies, when IAM is enforced, and the file they came from. */
  iam?: { policies: StackPolicies; file: string };
}

/** `gameday rehearse FILE`: check everything, rehearse, write the reports, say what happened; the exit code. */
export async function rehearseFile(file: string, options: RehearseOptions, io: Io): Promise<number> {
  const ready = await checkRehearsal(file, options, io);
  if (typeof ready === "number") return ready;
  const started = Date.now();
  const result = await runWithProgress(ready, options, io);
  if (options.history && result.history) {
    mkdirSync(dirname(resolve(options.history)), { recursive: true });
    writeFileAtomic(resolve(options.history), JSON.stringify({ events: result.history }, null, 1) + "\n");
  }
  const report = result.report;
  if (!report) {
    for (const letter of result.deadLetters) io.err(pc.red(`undelivered (dead-letter queue): ${letter}\n`));
    io.err(pc.red(`The game day ended without a report: ${result.error?.name}: ${result.error?.cause}\n`));
    return result.error?.name === GAME_DAY_ERRORS.invalidPlan ? EXIT.invalid : EXIT.abortedOrError;
  }
  report.rehearsal!.wallSeconds = (Date.now() - started) / 1000;
  for (const letter of result.deadLetters) io.err(pc.red(`undelivered (dead-letter queue): ${letter}\n`));
  if (result.iam?.undeployedTemplates.length)
    io.err(
      pc.yellow(
        `IAM: ${result.iam.undeployedTemplates.length} template(s) this plan starts are not in ${ready.iam!.file}; ` +
          "they were granted as the stack grants its own, as a synth with -c templates=DIR would\n",
      ),
    );
  writeReports(report, ready);
  if (options.json) io.out(JSON.stringify(report, null, 2) + "\n");
  else printSummary(report, ready.outDir, options, io);
  return EXIT_CODES[report.verdict];
}

/** Loads the world and the plan and checks every file the rehearsal will read or write; an exit code on refusal. */
async function checkRehearsal(file: string, options: RehearseOptions, io: Io): Promise<ReadyRehearsal | number> {
  const { world: loadedWorld, problems: worldProblems } = loadWorld(options.world ? resolve(options.world) : undefined);
  if (!loadedWorld) {
    printProblems(worldProblems, io);
    return EXIT.invalid;
  }
  let world = loadedWorld;
  const loaded = loadInput(file, world);
  printProblems(loaded.problems, io);
  if (hasErrors(loaded.problems) || !loaded.plan) {
    io.err(pc.red(`${file} is invalid; nothing was started.\n`));
    return EXIT.invalid;
  }
  // A bare template rehearsed without a world of its own brings its targets into the default one.
  if (loaded.kind === "template" && !options.world)
    for (const [id, template] of loaded.templates) {
      const fitted = fitWorldToTemplate(world, template);
      world = fitted.world;
      loaded.templates.set(id, fitted.template);
      for (const change of fitted.changes)
        io.err(pc.dim(`world ${world.name} fitted to the template's targets: ${change}\n`));
      for (const why of fitted.unfit)
        io.err(`${pc.yellow("warning")} ${file}: target ${why}; it will resolve to nothing\n`);
    }
  // Effects declared on the command line join (and override, by document) the world's own declarations.
  if (options.declare.length) {
    const declared = worldSchema.safeParse({
      ...world,
      declaredEffects: [
        ...world.declaredEffects.filter((d) => !options.declare.some((o) => o.document === d.document)),
        ...options.declare,
      ],
    });
    if (!declared.success) {
      const issue = declared.error.issues[0]!;
      io.err(`${pc.red("error")} --declare: ${issue.path.join(".")}: ${issue.message}; nothing was started\n`);
      return EXIT.invalid;
    }
    world = declared.data;
    for (const d of options.declare)
      io.err(pc.dim(`world ${world.name}: ${d.document} declared to have effect ${d.effect} (--declare)\n`));
  }
  // The plan's change calendars: the world's own, or added OPEN (CLOSED with --change-freeze).
  const calendars = fitWorldToCalendars(world, loaded.plan.changeCalendars ?? [], options.changeFreeze === true);
  world = calendars.world;
  for (const change of calendars.changes)
    io.err(
      pc.dim(`world ${world.name}: ${change}
`),
    );
  printProblems(missingStopConditionAlarms(loaded.templates, world), io);
  // The simulated account loads only for a rehearsal.
  const { SimulatedAccount } = await import("../sim/account");
  const account = new SimulatedAccount(world, options.seed);
  printProblems(unpublishedProbeMetrics(loaded.plan.hypothesis?.probes ?? [], world, file), io);
  try {
    // Everything the rehearsal will write or read is checked first: a refusal after it ran would lose it.
    for (const refused of [
      checkOutputFolder("--out", options.out ?? join("reports", loaded.plan.name)),
      checkOutputFile("--history", options.history),
      ...unknownTemplateIds(loaded.plan, account),
    ])
      if (refused) throw new UnusableFileError(refused);
    const compareWith = options.compare ? readCompareFile(options.compare, loaded.plan.name) : undefined;
    const iam = stackPoliciesFor(options.stackTemplate);
    io.err(
      pc.dim(
        iam
          ? `IAM: every call is checked against the policies of ${iam.file}\n`
          : `IAM: not enforced: no synthesized stack at ${defaultStackTemplate()} (run npx cdk synth, or give --stack-template FILE)\n`,
      ),
    );
    return {
      ...(iam ? { iam } : {}),
      file,
      plan: loaded.plan,
      templates: loaded.templates,
      world,
      account,
      outDir: resolve(options.out ?? join("reports", loaded.plan.name)),
      ...(compareWith ? { compareWith } : {}),
    };
  } catch (error) {
    if (!(error instanceof UnusableFileError)) throw error;
    io.err(pc.red(`error ${error.message}; nothing was started.\n`));
    return EXIT.invalid;
  }
}

/** Runs the rehearsal, drawing the live view (phase, probes, experiments and their FIS actions) as it goes. */
async function runWithProgress(ready: ReadyRehearsal, options: RehearseOptions, io: Io) {
  // The interpreter loads only for a rehearsal.
  const [{ rehearse }, { rehearsalTemplates }] = await Promise.all([
    import("../local/rehearsal"),
    import("../local/templates"),
  ]);
  const { account, plan, world } = ready;
  const view = new ProgressView({
    start: Date.parse(world.start),
    live: io.interactive && !options.json,
    write: (line) => io.err(`${line}\n`),
    title: `gameday rehearsal of ${plan.name}`,
    simulatedClock: true,
  });
  const result = await rehearse({
    input: { plan },
    world,
    seed: options.seed,
    account,
    executionName: `${plan.name}-seed-${options.seed}`.slice(0, 80),
    templates: (account) => rehearsalTemplates(account, resolve(ready.file), ready.templates),
    onProgress: options.json
      ? undefined
      : (p) => {
          view.update(p);
          // As `gameday watch` reads FIS: each experiment's status and actions.
          for (const id of view.experimentIds()) {
            const experiment = account.fis.peek(id);
            if (experiment) view.experimentState(experiment, p.simulatedTime, account.fis.peekResolved(id));
          }
        },
    faults: options.fault,
    ...(options.approval ? { approval: options.approval } : {}),
    recordHistory: Boolean(options.history),
    ...(ready.iam ? { iam: ready.iam.policies } : {}),
  });
  view.done();
  return result;
}

/** Compares with the previous report, then writes Markdown, HTML and (last, as a later --compare reads it) JSON. */
function writeReports(report: Report, { outDir, compareWith }: ReadyRehearsal): void {
  // What a rehearsal killed between writing and renaming left behind.
  removeAbandonedTemporaryFiles(outDir);
  const previous = compareWith ?? previousInOutput(resolve(outDir, "report.json"), report.plan.name);
  if (previous) report.comparison = compareReports(report, previous);
  mkdirSync(outDir, { recursive: true });
  // Each written whole or not at all.
  writeFileAtomic(resolve(outDir, "report.md"), renderMarkdown(report));
  writeFileAtomic(resolve(outDir, "report.html"), renderHtml(report, chartLibrary()));
  writeFileAtomic(resolve(outDir, "report.json"), JSON.stringify(report, null, 2) + "\n");
}

/** The verdict, its reason, and the rehearsal's own facts, for a person at a terminal. */
function printSummary(report: Report, outDir: string, options: RehearseOptions, io: Io): void {
  const colour = report.verdict === "PASSED" ? pc.green : report.verdict === "FAILED" ? pc.red : pc.yellow;
  const brokenBy = [
    ...new Set(report.findings.filter((f) => f.verdict === report.verdict && f.probeId).map((f) => f.probeId)),
  ];
  const r = report.rehearsal!;
  io.out(`\n${colour(pc.bold(report.verdict))}  ${printable(report.plan.name)}\n${printable(report.reason)}\n`);
  io.out(
    `recovery: ${recoveryText(report)}${brokenBy.length ? `   probes: ${brokenBy.join(", ")}` : ""}   experiments: ${report.experiments.map((e) => `${e.experimentId} ${e.status}`).join(", ") || "none"}${report.cost ? `   cost: about $${usd(report.cost.totalUsd)}` : ""}\n`,
  );
  io.out(
    pc.dim(
      `simulated ${formatSeconds(r.simulatedSeconds)} in ${r.wallSeconds.toFixed(2)} s, ${r.stateTransitions} state transitions (${r.transitionsPerPoll.toFixed(2)} per poll), orphaned experiments: ${r.orphanedExperiments}, reports stored: ${r.reportsStored}\n`,
    ),
  );
  const fired = Object.entries(r.faultsInjected);
  if (options.fault.length)
    io.out(pc.yellow(`faults injected: ${fired.map(([spec, n]) => `${spec} ×${n}`).join(", ") || "none fired"}\n`));
  if (r.unmodeledActions.length)
    io.out(pc.yellow(`not modeled by the simulator: ${r.unmodeledActions.map((a) => a.actionId).join(", ")}\n`));
  for (const change of report.comparison?.differentTargets ?? [])
    io.out(pc.yellow(`not the same test as ${report.comparison!.previous.execution}: ${change}\n`));
  for (const regression of report.comparison?.regressions ?? [])
    io.out(pc.red(`regression since ${report.comparison!.previous.execution}: ${regression.summary}\n`));
  io.out(`reports: ${["json", "md", "html"].map((ext) => resolve(outDir, `report.${ext}`)).join(", ")}\n`);
}
