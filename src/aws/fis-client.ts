import { FisClient } from "@aws-sdk/client-fis";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

// Apart from the call modules (fis.ts, fis-list.ts, fis-stop.ts, fis-template.ts), so a handler's bundle imports only
// the commands it can send: the IAM completeness test derives each role's required actions from those imports.
export const fisClient = () => tracer.captureAWSv3Client(new FisClient(SDK_CLIENT_CONFIG));
