import { gameDayApp } from "./app";

// `npx cdk synth` / `npx cdk deploy` run this file (see cdk.json). Context values override the defaults:
//   npx cdk deploy -c plans=./my-plans -c templates=./my-templates -c stackName=GameDayProd
const context = (key: string): string | undefined => {
  const raw = process.env.CDK_CONTEXT_JSON
    ? (JSON.parse(process.env.CDK_CONTEXT_JSON) as Record<string, unknown>)[key]
    : undefined;
  return typeof raw === "string" ? raw : undefined;
};

const { app } = gameDayApp({
  ...(context("stackName") ? { stackName: context("stackName") } : {}),
  ...(context("plans") ? { plansDirectory: context("plans") } : {}),
  ...(context("templates") ? { templatesDirectory: context("templates") } : {}),
});
app.synth();
