import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { KinesisStreamRecord } from 'aws-lambda';
import { claimAlertWindow, releaseAlertWindow } from '../../adapters/sensor-tables.ts';
import { publish } from '../../adapters/sns.ts';
import { step } from '../../adapters/tracing.ts';
import { alertMessage, alertsFor, type SensorAlert } from '../../domain/iot/alerts.ts';
import { batchSummary } from '../../domain/iot/metrics.ts';
import { parseReadingText, readingItem, type SensorReading } from '../../domain/iot/reading.ts';
import { ok, type Result } from '../../domain/result.ts';
import { arn, envConfig, number, positiveInt, string, url } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { storeLatest } from '../shared/store-latest.ts';
import { toDeadLetterQueue } from '../shared/dead-letters.ts';
import { streamConsumer, type Batch } from '../shared/stream-consumer.ts';

const config = envConfig({
  table: string('SENSOR_TABLE'),
  alertStateTable: string('ALERT_STATE_TABLE'),
  alertTopicArn: arn('ALERT_TOPIC_ARN'),
  humidityBelow: number('HUMIDITY_ALERT_BELOW'),
  windowSeconds: positiveInt('ALERT_WINDOW_SECONDS'),
  deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL'),
});
// Namespace and service from POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_SERVICE_NAME; no per-device dimension.
const metrics = new Metrics();

interface Positioned {
  reading: SensorReading;
  sequenceNumber: string;
}

/**
 * SensorEventStream -> SensorData (one item per sensor and reading time: a replay overwrites), batch
 * metrics in embedded metric format, and low-humidity alerts on AlertTopic at most once per sensor per
 * window. Invalid readings go to the dead-letter queue; readings not stored or not alerted after the
 * retry budget are batch item failures, so Lambda delivers them again.
 */
export const handler = streamConsumer({
  decode: decodeReading,
  deadLetters: toDeadLetterQueue(() => config().deadLetterQueueUrl),
  process: storeSensorReadings,
  logMessage: 'sensor batch stored',
}).use(logMetrics(metrics));

async function storeSensorReadings(values: Positioned[], { now, records }: Batch) {
  const unwritten = await storeLatest(
    config().table,
    values,
    ({ reading }) => readingItem(reading),
    (item) => `${String(item.SensorId)}\u0000${String(item.Timestamp)}`,
  );
  const stored = values.filter(({ sequenceNumber }) => !unwritten.has(sequenceNumber));
  const unalerted = await step('alert', () => raiseAlerts(stored, new Date(now)));
  recordMetrics(
    stored.map(({ reading }) => reading),
    records - values.length,
  );
  return { failed: [...unwritten, ...unalerted], log: { stored: stored.length } };
}

function decodeReading(record: KinesisStreamRecord, now: number): Result<Positioned> {
  const parsed = parseReadingText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'), now);
  return parsed.ok ? ok({ reading: parsed.value, sequenceNumber: record.kinesis.sequenceNumber }) : parsed;
}

/** Claims each alert's window, then publishes; an alert that could not be sent gives its window back. */
async function raiseAlerts(readings: readonly Positioned[], raisedAt: Date): Promise<string[]> {
  const { alertStateTable, alertTopicArn, humidityBelow, windowSeconds } = config();
  const windowMs = windowSeconds * 1000;
  const alerts = alertsFor(
    readings.map(({ reading }) => reading),
    { humidityBelow, windowMs },
  );
  const failed = await Promise.all(
    alerts.map(async (alert) => {
      const claim = await claimAlertWindow(alertStateTable, alert, raisedAt).catch((error: Error) => error);
      if (claim === false) return undefined; // this window already alerted (a retry or a replay)
      if (claim instanceof Error) return failure(alert, claim);
      try {
        await publish(alertTopicArn, alertMessage(alert));
        metrics.addMetric('alertsRaised', MetricUnit.Count, 1);
        return undefined;
      } catch (error) {
        await releaseAlertWindow(alertStateTable, alert, claim.previousWindowStart);
        return failure(alert, error as Error);
      }
    }),
  );
  return failed.filter((sequenceNumber): sequenceNumber is string => sequenceNumber !== undefined);

  function failure(alert: SensorAlert, error: Error): string | undefined {
    logger.warn('alert not raised; it will be retried', { sensorId: alert.sensorId, error: error.message });
    return readings.find(
      ({ reading }) => reading.sensorId === alert.sensorId && reading.timestampMs === alert.timestampMs,
    )?.sequenceNumber;
  }
}

function recordMetrics(readings: readonly SensorReading[], invalid: number): void {
  const summary = batchSummary(readings);
  metrics.addMetric('readingsStored', MetricUnit.Count, summary.count);
  metrics.addMetric('readingsInvalid', MetricUnit.Count, invalid);
  for (const [name, stats] of [
    ['humidity', summary.humidity],
    ['temperature', summary.temperature],
  ] as const) {
    if (!stats) continue;
    metrics.addMetric(`${name}Min`, MetricUnit.NoUnit, stats.min);
    metrics.addMetric(`${name}Avg`, MetricUnit.NoUnit, stats.avg);
    metrics.addMetric(`${name}Max`, MetricUnit.NoUnit, stats.max);
  }
}
