import type { HistoryEvent, HistoryEventType } from "../aws/history-event";
import type { StateMachine } from "aws-local-stepfunctions";
import type { AslState } from "./definition";

/** The interpreter's event log entry (its type is not exported by name). */
export type InterpreterEvent = ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

const SDK_RESOURCE = /^arn:aws:states:::(?<service>aws-sdk:[a-z0-9-]+|[a-z0-9-]+):(?<action>[A-Za-z0-9.]+)$/;
const LAMBDA_RESOURCE = /^arn:aws:lambda:/;

const json = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Writes a rehearsal as the execution history Step Functions would keep for it (GetExecutionHistory's events, with
 * `includeExecutionData`), so everything that reads histories (`gameday watch`) can be run against a rehearsal.
 * Event types and details follow the Step Functions API reference; timestamps are the simulated clock's.
 */
export class ExecutionHistoryRecorder {
  readonly events: HistoryEvent[] = [];
  /** How many events the history holds, kept or not: Step Functions fails an execution at 25,000. */
  count = 0;
  /** Tasks whose latest attempt failed: a caught failure exits the state without a success event. */
  private readonly failedAttempts = new Set<string>();
  constructor(
    private readonly states: Map<string, AslState>,
    private readonly region: string,
    private readonly roleArn: string,
    /** Keep the events themselves (--history); otherwise only count them, which costs no memory. */
    private readonly keepEvents = true,
  ) {}

  record(event: InterpreterEvent, at: number): void {
    switch (event.type) {
      case "ExecutionStarted":
        return this.add(at, "ExecutionStarted", {
          executionStartedEventDetails: {
            input: json(event.input),
            inputDetails: { truncated: false },
            roleArn: this.roleArn,
          },
        });
      case "ExecutionSucceeded":
        return this.add(at, "ExecutionSucceeded", {
          executionSucceededEventDetails: { output: json(event.output), outputDetails: { truncated: false } },
        });
      case "ExecutionFailed":
        return this.add(at, "ExecutionFailed", {
          executionFailedEventDetails: { error: event.Error, cause: String(event.Cause ?? "") },
        });
      case "ExecutionAborted":
        return this.add(at, "ExecutionAborted", { executionAbortedEventDetails: {} });
      case "ExecutionTimeout":
        return this.add(at, "ExecutionTimedOut", { executionTimedOutEventDetails: {} });
      case "StateEntered":
        return this.entered(event.state.name, event.state.input, at);
      case "StateExited":
        return this.exited(event.state.name, event.state.output, at);
      case "MapIterationStarted":
        return this.add(at, "MapIterationStarted", { mapIterationStartedEventDetails: this.iteration(event) });
      case "MapIterationSucceeded":
        return this.add(at, "MapIterationSucceeded", { mapIterationSucceededEventDetails: this.iteration(event) });
      case "MapIterationFailed":
        return this.add(at, "MapIterationFailed", { mapIterationFailedEventDetails: this.iteration(event) });
      default:
        return undefined;
    }
  }

  private entered(name: string, input: unknown, at: number) {
    const type = this.states.get(name)?.Type ?? "Task";
    this.add(at, `${type}StateEntered` as HistoryEventType, {
      stateEnteredEventDetails: { name, input: json(input), inputDetails: { truncated: false } },
    });
    if (type === "Map") {
      this.add(at, "MapStateStarted", {
        mapStateStartedEventDetails: { length: Array.isArray(input) ? input.length : 0 },
      });
    }
  }

  private exited(name: string, output: unknown, at: number) {
    const state = this.states.get(name);
    const type = state?.Type ?? "Task";
    if (type === "Task" && !this.failedAttempts.delete(name)) {
      const resource = this.resourceOf(state);
      if (resource.lambda) {
        this.add(at, "LambdaFunctionSucceeded", {
          lambdaFunctionSucceededEventDetails: { output: json(output), outputDetails: { truncated: false } },
        });
      } else {
        this.add(at, "TaskSucceeded", {
          taskSucceededEventDetails: { ...resource.names, output: json(output), outputDetails: { truncated: false } },
        });
      }
    }
    if (type === "Map") this.add(at, "MapStateSucceeded", {});
    this.add(at, `${type}StateExited` as HistoryEventType, {
      stateExitedEventDetails: { name, output: json(output), outputDetails: { truncated: false } },
    });
  }

  /**
   * A task's attempt, with the parameters it was called with (the state's input after Parameters). Each retry is
   * scheduled again: Step Functions writes no retry event.
   */
  taskScheduled(name: string, parameters: unknown, at: number) {
    this.failedAttempts.delete(name);
    const resource = this.resourceOf(this.states.get(name));
    if (resource.lambda) {
      this.add(at, "LambdaFunctionScheduled", {
        lambdaFunctionScheduledEventDetails: { resource: resource.lambda, input: json(parameters) },
      });
      this.add(at, "LambdaFunctionStarted", {});
    } else {
      this.add(at, "TaskScheduled", {
        taskScheduledEventDetails: { ...resource.names, region: this.region, parameters: json(parameters) },
      });
      this.add(at, "TaskStarted", { taskStartedEventDetails: resource.names });
    }
  }

  /** A task's attempt that failed, retried or not. */
  taskFailed(name: string, error: string, cause: string, at: number) {
    const state = this.states.get(name);
    if (state?.Type !== "Task") return;
    this.failedAttempts.add(name);
    const resource = this.resourceOf(state);
    if (resource.lambda) this.add(at, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: { error, cause } });
    else this.add(at, "TaskFailed", { taskFailedEventDetails: { ...resource.names, error, cause } });
  }

  private resourceOf(state: AslState | undefined): {
    lambda?: string;
    names: { resourceType: string; resource: string };
  } {
    const arn = state?.Resource ?? "";
    if (LAMBDA_RESOURCE.test(arn)) return { lambda: arn, names: { resourceType: "lambda", resource: "invoke" } };
    const sdk = SDK_RESOURCE.exec(arn)?.groups;
    return { names: { resourceType: sdk?.service ?? "unknown", resource: sdk?.action ?? arn } };
  }

  private iteration(event: { parentState: { name: string }; index: number }) {
    return { name: event.parentState.name, index: event.index };
  }

  private add(at: number, type: HistoryEventType, details: Partial<HistoryEvent>) {
    this.count += 1;
    if (!this.keepEvents) return;
    const id = this.events.length + 1;
    const previous = this.events[this.events.length - 1];
    this.events.push({ timestamp: new Date(at), type, id, previousEventId: previous?.id ?? 0, ...details });
  }
}
