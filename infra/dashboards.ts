import { Aws, Duration, Stack } from "aws-cdk-lib";
import {
  Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  HorizontalAnnotation,
  LogQueryWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  type IWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import type { ILogGroup } from "aws-cdk-lib/aws-logs";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { METRICS_NAMESPACE, PLAN_METRIC_SEARCH_SCHEMA, planMetricDimensions } from "../src/core/contract/metrics";
import type { Metric as ProbeMetric, PlanInput, Probe } from "../src/core/plan/schema";
import { planSchema } from "../src/core/plan/schema";
import { NO_RUN_YET } from "../src/core/dashboards/latest-run";
import { escapeMarkdown, printable } from "../src/core/report/text";

export interface DashboardsProps {
  stackName: string;
  plans: Map<string, PlanInput>;
  stateMachine: StateMachine;
  reportLogGroup: ILogGroup;
  experimentEventsLogGroup: ILogGroup;
}

/** Dashboard names allow letters, digits, - and _. Plan names already fit. */
/**
 * `<stack>_<plan>`: stack and plan names hold no "_", so no two stacks' plan dashboards share a name (GameDay +
 * prod-checkout and GameDay-prod + checkout differ) and the store's grant on `<stack>_*` reaches no other stack's.
 */
export const planDashboardName = (stackName: string, plan: string) => `${stackName}_${plan}`;
export const overviewDashboardName = (stackName: string) => `${stackName}-overview`;

const toCdkMetric = (m: ProbeMetric, label?: string) =>
  new Metric({
    namespace: m.namespace,
    metricName: m.name,
    dimensionsMap: m.dimensions,
    statistic: m.statistic,
    period: Duration.seconds(m.periodSeconds),
    ...(label ? { label } : {}),
  });

const boundLines = (bounds: { min?: number; max?: number }): HorizontalAnnotation[] => [
  ...(bounds.max !== undefined ? [{ value: bounds.max, label: `max ${bounds.max}`, color: "#d62728" }] : []),
  ...(bounds.min !== undefined ? [{ value: bounds.min, label: `min ${bounds.min}`, color: "#d62728" }] : []),
];

function probeWidget(scope: Construct, plan: string, probe: Probe): IWidget {
  const title = printable(`${probe.id}${probe.description ? ` — ${probe.description}` : ""}`);
  if (probe.type === "metric") {
    return new GraphWidget({
      title,
      left: [toCdkMetric(probe.metric, probe.id)],
      leftAnnotations: boundLines(probe.bounds),
      width: 12,
    });
  }
  if (probe.type === "math") {
    const period = Math.max(...Object.values(probe.metrics).map((m) => m.periodSeconds));
    return new GraphWidget({
      title,
      left: [
        new MathExpression({
          expression: probe.expression,
          usingMetrics: Object.fromEntries(Object.entries(probe.metrics).map(([id, m]) => [id, toCdkMetric(m)])),
          label: probe.id,
          period: Duration.seconds(period),
        }),
      ],
      leftAnnotations: boundLines(probe.bounds),
      width: 12,
    });
  }
  if (probe.type === "alarm") {
    // A status tile works for metric and composite alarms alike; it links to the alarm and its history.
    return new AlarmStatusWidget({
      title: `${title} (breaches in ${probe.breachingStates.join(" or ")})`,
      alarms: [Alarm.fromAlarmName(scope, `${plan}-${probe.id}-Alarm`, probe.alarmName)],
      width: 12,
      height: 6,
    });
  }
  const limits = [
    probe.maxFaultRate !== undefined ? `fault rate ≤ ${probe.maxFaultRate}` : "",
    probe.maxErrorRate !== undefined ? `error rate ≤ ${probe.maxErrorRate}` : "",
    probe.latency ? `p${probe.latency.percentile} ≤ ${probe.latency.maxMilliseconds} ms` : "",
  ].filter(Boolean);
  const where = probe.service
    ? `service ${escapeMarkdown(probe.service)}`
    : `traces matching ${escapeMarkdown(probe.filterExpression ?? "")}`;
  return new TextWidget({
    markdown:
      `### ${escapeMarkdown(title)}\nX-Ray probe on ${where}: ${limits.join(", ")}.\n\n` +
      `[Open the X-Ray trace map](https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#xray:service-map/map)`,
    width: 12,
    height: 6,
  });
}

const verdictMetric = (plan: string, verdict: string) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: `Verdict${verdict}`,
    dimensionsMap: planMetricDimensions(plan),
    statistic: "Sum",
    period: Duration.days(1),
    label: verdict,
  });

/** The overview dashboard and one dashboard per plan. */
export class GameDayDashboards extends Construct {
  readonly overview: Dashboard;
  readonly perPlan = new Map<string, Dashboard>();

  constructor(scope: Construct, id: string, props: DashboardsProps) {
    super(scope, id);
    const sm = props.stateMachine;
    const region = Stack.of(this).region;
    this.overview = new Dashboard(this, "Overview", {
      dashboardName: overviewDashboardName(props.stackName),
      defaultInterval: Duration.days(30),
    });
    this.overview.addWidgets(
      new TextWidget({
        markdown: [
          "## Game days",
          `Start one from the [Step Functions console](https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${sm.stateMachineArn}):`,
          '**Start execution** with the input `{"plan": "<name>"}`.',
          `Plans shipped with this stack: ${[...props.plans.keys()].map(escapeMarkdown).join(", ") || "none"}.`,
          'Preview without injecting faults: `{"plan": "<name>", "actionsMode": "skip-all"}`.',
        ].join("\n\n"),
        width: 24,
        height: 4,
      }),
      new LogQueryWidget({
        title: "Recent game days",
        logGroupNames: [props.reportLogGroup.logGroupName],
        queryLines: [
          "fields @timestamp, detail.plan.name as plan, detail.verdict as verdict, detail.recovery as recoverySeconds, detail.execution.name as execution, detail.reason as reason",
          "sort @timestamp desc",
          "limit 25",
        ],
        width: 24,
        height: 8,
      }),
      new GraphWidget({
        title: "Verdicts per day",
        left: ["PASSED", "FAILED", "INCONCLUSIVE", "ABORTED", "ERROR"].map(
          (v) =>
            new MathExpression({
              expression: `SUM(SEARCH('${PLAN_METRIC_SEARCH_SCHEMA} MetricName="Verdict${v}"', 'Sum', 86400))`,
              label: v,
              period: Duration.days(1),
            }),
        ),
        stacked: true,
        width: 12,
      }),
      new GraphWidget({
        title: "Recovery time per plan (seconds)",
        left: [
          new MathExpression({
            expression: `SEARCH('${PLAN_METRIC_SEARCH_SCHEMA} MetricName="RecoverySeconds"', 'Maximum', 86400)`,
            label: "",
            period: Duration.days(1),
          }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: "Executions by status",
        left: [
          sm.metricStarted({ label: "started" }),
          sm.metricSucceeded({ label: "succeeded" }),
          sm.metricFailed({ label: "failed" }),
          sm.metricAborted({ label: "aborted" }),
          sm.metricTimedOut({ label: "timed out" }),
        ],
        width: 12,
      }),
      new LogQueryWidget({
        title: "FIS experiments running now",
        logGroupNames: [props.experimentEventsLogGroup.logGroupName],
        queryLines: [
          "fields `detail.experiment-id` as experiment, `detail.experiment-template-id` as template, `detail.new-state.status` as status",
          "stats latest(status) as state, latest(@timestamp) as since by experiment, template",
          'filter state in ["pending", "initiating", "running", "stopping"]',
          "sort since desc",
        ],
        width: 12,
      }),
    );

    for (const [name, input] of props.plans) {
      const plan = planSchema.parse(input);
      const dashboard = new Dashboard(this, `Plan-${name}`, {
        dashboardName: planDashboardName(props.stackName, name),
        defaultInterval: Duration.hours(3),
      });
      dashboard.addWidgets(
        new TextWidget({
          markdown: [plan.name, plan.description, plan.hypothesis.description ?? ""]
            .map((text, index) => (index === 0 ? `## ${escapeMarkdown(text)}` : escapeMarkdown(text)))
            .join("\n\n"),
          width: 24,
          height: 3,
        }),
        new TextWidget({ markdown: NO_RUN_YET, width: 24, height: 4 }),
        new SingleValueWidget({
          title: "Verdicts, last 30 days",
          metrics: ["PASSED", "FAILED", "INCONCLUSIVE", "ABORTED", "ERROR"].map((v) => verdictMetric(name, v)),
          setPeriodToTimeRange: true,
          width: 24,
        }),
        ...plan.hypothesis.probes.map((probe) => probeWidget(this, name, probe)),
      );
      this.perPlan.set(name, dashboard);
    }
  }
}
