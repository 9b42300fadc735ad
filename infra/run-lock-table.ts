import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { LOCK_TABLE } from "../src/aws/lock-table";
import type { GameDayFunction } from "./function";

/**
 * The run locks of invariant 4: one item per plan or target a running game day holds. Items carry their
 * expiry (the game day's deadline) as the TTL attribute, so a crashed run cannot block the next forever.
 */
export class RunLockTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, "Table", {
      partitionKey: { name: LOCK_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: LOCK_TABLE.expiryAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Locks live at most one execution timeout; nothing in the table outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: LOCK_TABLE.holderIndex,
      partitionKey: { name: LOCK_TABLE.holderAttribute, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }

  /** Validate-plan takes locks and gives back the ones it took when it meets a conflict. */
  grantTakeAndRelease(fn: GameDayFunction): void {
    this.expose(fn);
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: "TakeRunLocks",
        actions: ["dynamodb:PutItem", "dynamodb:DeleteItem"],
        resources: [this.table.tableArn],
      }),
    );
  }

  /** The report step and the orphan guard find the locks an execution holds and release them. */
  grantFindAndRelease(fn: GameDayFunction): void {
    this.expose(fn);
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: "ReleaseRunLocks",
        actions: ["dynamodb:DeleteItem"],
        resources: [this.table.tableArn],
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: "FindRunLocksOfExecution",
        actions: ["dynamodb:Query"],
        resources: [`${this.table.tableArn}/index/${LOCK_TABLE.holderIndex}`],
      }),
    );
  }

  private expose(fn: GameDayFunction): void {
    fn.function.addEnvironment(LOCK_TABLE.environmentVariable, this.table.tableName);
  }
}
