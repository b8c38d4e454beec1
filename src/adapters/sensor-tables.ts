import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ALERT_LIST_ATTRIBUTE, ALERT_LIST_VALUE, type AlertsQuery } from '../domain/iot/alert-list.ts';
import type { SensorAlert } from '../domain/iot/alerts.ts';
import { dynamoDb } from './dynamodb.ts';

/**
 * Claims a sensor's alert window: succeeds only if the sensor has not alerted in this window or a
 * later one, so a retried or replayed batch cannot alert twice. Returns the window it replaced (to
 * give the claim back if the alert cannot be sent), or false when the window was already claimed.
 */
export async function claimAlertWindow(
  table: string,
  alert: SensorAlert,
  raisedAt: Date,
): Promise<{ previousWindowStart?: number } | false> {
  try {
    const output = await dynamoDb().send(
      new UpdateCommand({
        TableName: table,
        Key: { SensorId: alert.sensorId },
        // AlertList (one value for all) and RaisedAt are the alerts index's keys: the item is listed from now on.
        UpdateExpression:
          'SET LastWindowStart = :w, Humidity = :h, Threshold = :t, ReadingTimestamp = :ts, RaisedAt = :at, #list = :list',
        ConditionExpression: 'attribute_not_exists(LastWindowStart) OR LastWindowStart < :w',
        ExpressionAttributeNames: { '#list': ALERT_LIST_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':w': alert.windowStartMs,
          ':h': alert.humidity,
          ':t': alert.threshold,
          ':ts': new Date(alert.timestampMs).toISOString(),
          ':at': raisedAt.toISOString(),
          ':list': ALERT_LIST_VALUE,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const previous = output.Attributes?.LastWindowStart as number | undefined;
    return previous === undefined ? {} : { previousWindowStart: previous };
  } catch (error) {
    if (
      error instanceof ConditionalCheckFailedException ||
      (error as { name?: string }).name === 'ConditionalCheckFailedException'
    )
      return false;
    throw error;
  }
}

/** Gives a claimed window back (the alert could not be sent; a retry claims it again). */
export async function releaseAlertWindow(
  table: string,
  alert: SensorAlert,
  previousWindowStart: number | undefined,
): Promise<void> {
  await dynamoDb()
    .send(
      new UpdateCommand({
        TableName: table,
        Key: { SensorId: alert.sensorId },
        ...(previousWindowStart === undefined
          ? // The sensor never alerted before: unlist the alert that was not sent.
            {
              UpdateExpression: 'REMOVE LastWindowStart, #list',
              ExpressionAttributeNames: { '#list': ALERT_LIST_ATTRIBUTE },
              ExpressionAttributeValues: { ':w': alert.windowStartMs },
            }
          : {
              UpdateExpression: 'SET LastWindowStart = :p',
              ExpressionAttributeValues: { ':w': alert.windowStartMs, ':p': previousWindowStart },
            }),
        ConditionExpression: 'LastWindowStart = :w',
      }),
    )
    .catch(() => undefined); // someone claimed a later window meanwhile: nothing to give back
}

/** One page of the alerts index: the latest alert of each sensor, newest first. */
export async function alertsPage(
  table: string,
  index: string,
  query: AlertsQuery,
): Promise<{ items: Array<Record<string, unknown>>; lastKey?: Record<string, unknown> }> {
  const output = await dynamoDb().send(
    new QueryCommand({
      TableName: table,
      IndexName: index,
      KeyConditionExpression: '#list = :list',
      ExpressionAttributeNames: { '#list': ALERT_LIST_ATTRIBUTE },
      ExpressionAttributeValues: { ':list': ALERT_LIST_VALUE },
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: query.exclusiveStart,
    }),
  );
  return { items: output.Items ?? [], ...(output.LastEvaluatedKey ? { lastKey: output.LastEvaluatedKey } : {}) };
}

/** One page of a sensor's readings in [fromMs, toMs], newest first. */
export async function queryReadings(
  table: string,
  query: { sensorId: string; fromMs: number; toMs: number; limit: number; exclusiveStart?: Record<string, unknown> },
) {
  const output = await dynamoDb().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'SensorId = :id AND #ts BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#ts': 'Timestamp' },
      ExpressionAttributeValues: { ':id': query.sensorId, ':from': query.fromMs, ':to': query.toMs },
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: query.exclusiveStart,
    }),
  );
  return { items: output.Items ?? [], lastKey: output.LastEvaluatedKey };
}
