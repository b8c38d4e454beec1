import { DescribeTableCommand, QueryCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ProvisionedResource } from './model.ts';

export interface TableBrowser {
  /**
   * Up to `limit` items of a table of the stack, by its logical id (undefined: no such table); with
   * `partitionKey`, only the items of that partition key value (a string key).
   */
  items(
    logicalId: string,
    limit: number,
    partitionKey?: string,
  ): Promise<{ table: string; items: Array<Record<string, unknown>> } | undefined>;
}

/** What the console shows of the stack's tables, so a pipeline's sink can be looked at without an AWS CLI. */
export function tableBrowser(dynamodb: DynamoDBClient, resources: ProvisionedResource[]): TableBrowser {
  const tables = new Map(
    resources.filter((r) => r.type === 'AWS::DynamoDB::Table').map((r) => [r.logicalId, r.physicalId]),
  );
  const hashKeys = new Map<string, string>(); // a table's key schema never changes
  const hashKeyOf = async (table: string) => {
    if (!hashKeys.has(table)) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
      hashKeys.set(table, Table!.KeySchema!.find((key) => key.KeyType === 'HASH')!.AttributeName!);
    }
    return hashKeys.get(table)!;
  };
  return {
    async items(logicalId, limit, partitionKey) {
      const table = tables.get(logicalId);
      if (!table) return undefined;
      const output =
        partitionKey === undefined
          ? await dynamodb.send(new ScanCommand({ TableName: table, Limit: limit }))
          : await dynamodb.send(
              new QueryCommand({
                TableName: table,
                Limit: limit,
                KeyConditionExpression: '#key = :value',
                ExpressionAttributeNames: { '#key': await hashKeyOf(table) },
                ExpressionAttributeValues: { ':value': { S: partitionKey } },
              }),
            );
      return { table, items: (output.Items ?? []).map((item) => unmarshall(item)) };
    },
  };
}
