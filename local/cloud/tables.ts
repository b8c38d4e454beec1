import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ProvisionedResource } from './model.ts';

export interface TableBrowser {
  /** Up to `limit` items of a table of the stack, by its logical id (undefined: no such table). */
  items(logicalId: string, limit: number): Promise<{ table: string; items: Array<Record<string, unknown>> } | undefined>;
}

/** What the console shows of the stack's tables, so a pipeline's sink can be looked at without an AWS CLI. */
export function tableBrowser(dynamodb: DynamoDBClient, resources: ProvisionedResource[]): TableBrowser {
  const tables = new Map(resources.filter((r) => r.type === 'AWS::DynamoDB::Table').map((r) => [r.logicalId, r.physicalId]));
  return {
    async items(logicalId, limit) {
      const table = tables.get(logicalId);
      if (!table) return undefined;
      const output = await dynamodb.send(new ScanCommand({ TableName: table, Limit: limit }));
      return { table, items: (output.Items ?? []).map((item) => unmarshall(item)) };
    },
  };
}
