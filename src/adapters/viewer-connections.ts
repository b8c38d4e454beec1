import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from './dynamodb.ts';

/** The results page's open WebSocket connections (ResultsConnections, key ConnectionId, TTL ExpiresAt). */
export async function addConnection(
  table: string,
  connectionId: string,
  connectedAtMs: number,
  expiresAt: number,
): Promise<void> {
  await dynamoDb().send(
    new PutCommand({
      TableName: table,
      Item: { ConnectionId: connectionId, ConnectedAt: connectedAtMs, ExpiresAt: expiresAt },
    }),
  );
}

export async function removeConnection(table: string, connectionId: string): Promise<void> {
  await dynamoDb().send(new DeleteCommand({ TableName: table, Key: { ConnectionId: connectionId } }));
}

/**
 * Every connection id, page by page. Rows whose TTL has passed may still be listed until DynamoDB
 * removes them: posting to them answers Gone, and they are then deleted.
 */
export async function listConnections(table: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDb().send(
      new ScanCommand({ TableName: table, ProjectionExpression: 'ConnectionId', ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) ids.push(String(item.ConnectionId));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}
