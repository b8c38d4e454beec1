import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SensorAlert } from '../domain/iot/alerts.ts';
import { dynamoDb } from './dynamodb.ts';

/**
 * Claims a sensor's alert window: succeeds only if the sensor has not alerted in this window or a
 * later one, so a retried or replayed batch cannot alert twice. Returns the window it replaced (to
 * give the claim back if the alert cannot be sent), or false when the window was already claimed.
 */
export async function claimAlertWindow(table: string, alert: SensorAlert, raisedAt: Date): Promise<{ previousWindowStart?: number } | false> {
  try {
    const output = await dynamoDb().send(new UpdateCommand({
      TableName: table,
      Key: { SensorId: alert.sensorId },
      UpdateExpression: 'SET LastWindowStart = :w, Humidity = :h, Threshold = :t, ReadingTimestamp = :ts, RaisedAt = :at',
      ConditionExpression: 'attribute_not_exists(LastWindowStart) OR LastWindowStart < :w',
      ExpressionAttributeValues: {
        ':w': alert.windowStartMs, ':h': alert.humidity, ':t': alert.threshold,
        ':ts': new Date(alert.timestampMs).toISOString(), ':at': raisedAt.toISOString(),
      },
      ReturnValues: 'ALL_OLD',
    }));
    const previous = output.Attributes?.LastWindowStart as number | undefined;
    return previous === undefined ? {} : { previousWindowStart: previous };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Gives a claimed window back (the alert could not be sent; a retry claims it again). */
export async function releaseAlertWindow(table: string, alert: SensorAlert, previousWindowStart: number | undefined): Promise<void> {
  await dynamoDb().send(new UpdateCommand({
    TableName: table,
    Key: { SensorId: alert.sensorId },
    ...(previousWindowStart === undefined
      ? { UpdateExpression: 'REMOVE LastWindowStart', ExpressionAttributeValues: { ':w': alert.windowStartMs } }
      : { UpdateExpression: 'SET LastWindowStart = :p', ExpressionAttributeValues: { ':w': alert.windowStartMs, ':p': previousWindowStart } }),
    ConditionExpression: 'LastWindowStart = :w',
  })).catch(() => undefined);   // someone claimed a later window meanwhile: nothing to give back
}

export interface AlertRow { sensorId: string; timestamp: string; humidity: number; threshold: number; raisedAt: string }

/** The latest alert of each sensor, newest first (the table holds one item per sensor that alerted). */
export async function latestAlerts(table: string, limit: number): Promise<AlertRow[]> {
  const rows: AlertRow[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const output = await dynamoDb().send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    for (const item of output.Items ?? []) {
      if (item.RaisedAt === undefined) continue;
      rows.push({ sensorId: item.SensorId as string, timestamp: item.ReadingTimestamp as string, humidity: item.Humidity as number, threshold: item.Threshold as number, raisedAt: item.RaisedAt as string });
    }
    ExclusiveStartKey = output.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return rows.sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)).slice(0, limit);
}

/** One page of a sensor's readings in [fromMs, toMs], newest first. */
export async function queryReadings(table: string, query: { sensorId: string; fromMs: number; toMs: number; limit: number; exclusiveStart?: Record<string, unknown> }) {
  const output = await dynamoDb().send(new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'SensorId = :id AND #ts BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#ts': 'Timestamp' },
    ExpressionAttributeValues: { ':id': query.sensorId, ':from': query.fromMs, ':to': query.toMs },
    ScanIndexForward: false,
    Limit: query.limit,
    ExclusiveStartKey: query.exclusiveStart,
  }));
  return { items: output.Items ?? [], lastKey: output.LastEvaluatedKey };
}
