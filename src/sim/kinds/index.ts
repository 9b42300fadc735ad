import { aurora } from "./aurora";
import { dsql } from "./dsql";
import { dynamodb } from "./dynamodb";
import { ec2 } from "./ec2";
import { ecs } from "./ecs";
import { eks } from "./eks";
import { elasticache } from "./elasticache";
import type { TierKind } from "./kind";
import { kinesis } from "./kinesis";
import { lambda } from "./lambda";
import { memorydb } from "./memorydb";
import { s3 } from "./s3";
import type { TierKindName } from "./names";
import { sqs } from "./sqs";

/** Every kind of tier the simulated world can hold, by the name a world file gives it (names.ts). */
export const TIER_KINDS: Readonly<Record<TierKindName, TierKind>> = {
  ec2,
  ecs,
  eks,
  aurora,
  elasticache,
  dynamodb,
  lambda,
  sqs,
  kinesis,
  s3,
  memorydb,
  dsql,
};

export { TIER_KIND_NAMES, type TierKindName } from "./names";

export const kindOf = (tier: { kind: TierKindName }): TierKind => TIER_KINDS[tier.kind];
