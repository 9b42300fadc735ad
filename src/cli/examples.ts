/** The examples each subcommand's --help ends with. */
const EXAMPLES: Record<string, string[]> = {
  validate: ["gameday validate plans/*.json templates/*.json"],
  rehearse: [
    "gameday rehearse plans/aurora-failover.json",
    "gameday rehearse my-template.json --seed 7 --out reports/my-template",
    "gameday rehearse plans/ec2-web-tier.json --fault throttle:fis:0.3 --fault abort-at:PT7M",
    "gameday rehearse plans/aurora-failover.json --history history.json && gameday watch history.json",
    "gameday rehearse my-plan.json --approval reject",
  ],
  start: [
    "gameday start ecs-checkout-zone-loss --watch",
    "gameday start my-plan.json --preview --name my-plan-dry-run",
    "AWS_PROFILE=staging AWS_REGION=eu-west-1 gameday start aurora-failover --stack GameDay-staging",
  ],
  watch: ["gameday watch checkout-2026-11-24", "gameday watch history.json"],
  stop: ["gameday stop checkout-2026-11-24 --timeout 600", "gameday stop --all --stack GameDay-prod"],
  approve: ['gameday approve checkout-2026-11-24 --note "on-call agrees, change CHG-1234"'],
  reject: ['gameday reject checkout-2026-11-24 --reason "incident INC-42 open on checkout"'],
  list: ["gameday list --plan ecs-checkout-zone-loss --max 5"],
  report: [
    "gameday report checkout-2026-11-24 --format junit > gameday.xml",
    "gameday report reports/report.json --format html > report.html",
  ],
  schema: ["gameday schema > plan.schema.json"],
  actions: ["gameday actions --not-simulated", "gameday actions --format json > actions.json"],
  init: [
    "gameday init payments --kind ecs --rps 250",
    "gameday init thumbnails --kind lambda --region eu-west-1 --dir gameday/thumbnails",
    "gameday init payments --from cdk.out --rps 250",
    "gameday init checkout --kind ec2 --scenario az-power-interruption",
    "gameday init checkout --scenario cross-region-connectivity --other-region eu-west-1",
  ],
};

export const examplesFor = (command: string): string =>
  `\nExamples:\n${(EXAMPLES[command] ?? []).map((line) => `  $ ${line}`).join("\n")}\n`;
