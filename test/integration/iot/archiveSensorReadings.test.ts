import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { invokeFunction, physicalId } from '../../support/cloud.ts';
import { s3 } from '../../support/files.ts';
import { sensorEvent, uniqueSensor } from '../../support/iot.ts';

/** Archive objects (key and NDJSON lines) that hold readings of a sensor. */
async function archivedFor(
  sensorId: string,
  prefix: string,
): Promise<Array<{ key: string; lines: Array<Record<string, unknown>> }>> {
  const bucket = physicalId('ArchiveBucket');
  const listed = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const objects = await Promise.all(
    (listed.Contents ?? []).map(async ({ Key }) => {
      const output = await s3().send(new GetObjectCommand({ Bucket: bucket, Key }));
      const body = Buffer.from(await output.Body!.transformToByteArray());
      // The SDK may already have decoded Content-Encoding: gzip; the stored bytes are gzip.
      const text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
      return {
        key: Key!,
        lines: text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      };
    }),
  );
  return objects.filter((object) => object.lines.some((line) => line.sensorId === sensorId));
}

describe('archiveSensorReadings', () => {
  it('writes one gzip NDJSON object per reading hour under year=/month=/day=/hour=/, and a replay overwrites it', async () => {
    const sensor = uniqueSensor('archive');
    const event = sensorEvent(
      [
        { sensorId: sensor, timestamp: '2026-03-04T05:58:00.000Z', humidity: 41, seq: 1 },
        { sensorId: sensor, timestamp: '2026-03-04T05:59:30.000Z', humidity: 40, seq: 2 },
        'not json',
        { sensorId: sensor, timestamp: '2026-03-04T06:00:10.000Z', humidity: 39, seq: 3 },
      ],
      `shardId-${sensor}`,
    );
    for (let delivery = 0; delivery < 2; delivery += 1) {
      expect(await invokeFunction('archiveSensorReadings', event)).toMatchObject({
        ok: true,
        payload: { batchItemFailures: [] },
      });
    }
    const five = await archivedFor(sensor, 'year=2026/month=03/day=04/hour=05/');
    const six = await archivedFor(sensor, 'year=2026/month=03/day=04/hour=06/');
    expect(five).toHaveLength(1);
    expect(six).toHaveLength(1);
    expect(five[0]!.key).toMatch(/\.ndjson\.gz$/);
    expect(five[0]!.key).toContain(sensor);
    expect(five[0]!.lines.map((line) => line.seq)).toEqual([1, 2]);
    expect(six[0]!.lines.map((line) => line.seq)).toEqual([3]);
  });

  it('does not archive a reading from more than 5 minutes ahead (storeSensorReadings dead-letters it), and archives the rest of the batch', async () => {
    const sensor = uniqueSensor('archive-future');
    const now = new Date();
    const ahead = new Date(now.getTime() + 2 * 60 * 60_000);
    const event = sensorEvent(
      [
        { sensorId: sensor, timestamp: now.toISOString(), humidity: 41, seq: 1 },
        { sensorId: sensor, timestamp: ahead.toISOString(), humidity: 10, seq: 2 },
      ],
      `shardId-${sensor}`,
    );
    expect(await invokeFunction('archiveSensorReadings', event)).toMatchObject({
      ok: true,
      payload: { batchItemFailures: [] },
    });
    const hourOf = (date: Date) =>
      date.toISOString().replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}).*$/, 'year=$1/month=$2/day=$3/hour=$4/');
    expect((await archivedFor(sensor, hourOf(now))).flatMap((object) => object.lines.map((line) => line.seq))).toEqual([
      1,
    ]);
    expect(await archivedFor(sensor, hourOf(ahead))).toEqual([]);
  });
});
