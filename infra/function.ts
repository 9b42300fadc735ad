import { Duration } from "aws-cdk-lib";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { LogLevel, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { dirname, resolve } from "node:path";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../src/core/contract/metrics";
import { acknowledge } from "./nag";
import { PROJECT_ROOT } from "./sources";

/**
 * One Node.js version for every function: the runtime Lambda runs and the language level esbuild bundles for.
 * README says which; test/infra/stack.test.ts holds the synthesized functions to it.
 */
export const LAMBDA_NODE_MAJOR = 24;
const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
const LAMBDA_BUNDLE_TARGET = `node${LAMBDA_NODE_MAJOR}`;

export interface GameDayFunctionProps {
  /** The entry file under lambdas/, without extension, e.g. `observe-fault`. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  /** Default 60 seconds: a poll reads at most a few pages of metrics and traces. */
  timeout?: Duration;
  /** Default 512 MB. */
  memorySize?: number;
  /** Files copied next to the bundle (name in the bundle → absolute path), read at run time. */
  files?: Record<string, string>;
  /**
   * For functions invoked asynchronously (by EventBridge rules and schedules): where an event goes once Lambda's
   * two retries failed, kept for a person to look at.
   */
  asyncFailures?: IQueue;
}

/**
 * A game-day Lambda as deployed: bundled by the local esbuild (no Docker), ESM, arm64, the newest Node.js
 * runtime, X-Ray active, Powertools configured, its own log group, and a role that starts with nothing but
 * writing to that log group. Each caller adds exactly the calls its handler makes.
 */
export class GameDayFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: GameDayFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, "Logs", { retention: RetentionDays.THREE_MONTHS });
    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `gameday ${props.entry} function`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        sid: "OwnLogGroup",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [logGroup.logGroupArn],
      }),
    );
    acknowledge(
      this,
      "IAM5[Resource::*]",
      "Only actions without resource-level permissions are granted on *: X-Ray's PutTraceSegments and " +
        "PutTelemetryRecords (active tracing), and for the probe readers cloudwatch:GetMetricData, " +
        "xray:GetServiceGraph, xray:GetTraceSummaries and fis:ListExperiments. test/infra/iam.test.ts holds " +
        "each role to the calls its bundle makes.",
    );
    const files = Object.entries(props.files ?? {});
    this.function = new NodejsFunction(this, "Function", {
      entry: resolve(PROJECT_ROOT, "lambdas", `${props.entry}.ts`),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: resolve(PROJECT_ROOT, "package-lock.json"),
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(60),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: "INFO",
        NODE_OPTIONS: "--enable-source-maps",
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        logLevel: LogLevel.WARNING,
        minify: true,
        sourceMap: true,
        target: LAMBDA_BUNDLE_TARGET,
        mainFields: ["module", "main"],
        // Some dependencies still call require(); ESM bundles need it defined.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // The AWS SDK is bundled, not taken from the runtime: one tree-shaken file imports in about half the time
        // (npm run bench), and the SDK's version is the lockfile's. The metafile says which SDK commands the bundle
        // holds; test/infra/iam.test.ts holds each role to them.
        externalModules: [],
        metafile: true,
        ...(files.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, output: string) =>
                  files.flatMap(([name, path]) => [
                    `mkdir -p ${JSON.stringify(dirname(`${output}/${name}`))}`,
                    `cp ${JSON.stringify(path)} ${JSON.stringify(`${output}/${name}`)}`,
                  ]),
              },
            }
          : {}),
      },
    });
    if (props.asyncFailures) {
      this.function.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(props.asyncFailures),
      });
    }
  }
}
