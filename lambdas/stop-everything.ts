import { fisExperiments } from "../src/aws/fis-control";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { systemClock } from "../src/aws/powertools";
import { createStopEverything } from "../src/handlers/stop-everything";

export const handler = lambdaEntry("stop-everything", () =>
  createStopEverything({ experiments: fisExperiments(), clock: systemClock }),
);
