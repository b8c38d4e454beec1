import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { operatorHeaders } from '../support/auth.ts';
import { eventually, localCloud, physicalId } from '../support/cloud.ts';
import { s3 } from '../support/files.ts';

const serviceDir = resolve(import.meta.dirname, '../..');
interface Sent {
  sensorId: string;
  timestamp: string;
  seq?: number;
}
const keyOf = (reading: { sensorId: string; timestamp: string }) =>
  `${reading.sensorId} ${new Date(reading.timestamp).toISOString()}`;

/** Every reading the query API returns for a sensor, following the cursor. */
async function queried(sensorId: string, from: string): Promise<Sent[]> {
  const readings: Sent[] = [];
  let cursor: string | undefined;
  do {
    const query = `from=${encodeURIComponent(from)}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await (
      await fetch(`${localCloud().endpoints.http}/sensors/${encodeURIComponent(sensorId)}/readings?${query}`, {
        headers: await operatorHeaders(),
      })
    ).json()) as { readings: Sent[]; nextCursor?: string };
    readings.push(...page.readings);
    cursor = page.nextCursor;
  } while (cursor);
  return readings;
}

/** Every archived reading whose sensor id starts with a prefix. */
async function archived(prefix: string): Promise<Sent[]> {
  const bucket = physicalId('ArchiveBucket');
  const readings: Sent[] = [];
  let ContinuationToken: string | undefined;
  do {
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    for (const { Key } of listed.Contents ?? []) {
      const body = Buffer.from(
        await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray(),
      );
      const text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
      readings.push(
        ...text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Sent)
          .filter((r) => r.sensorId.startsWith(prefix)),
      );
    }
    ContinuationToken = listed.NextContinuationToken;
  } while (ContinuationToken);
  return readings;
}

describe('IoT backend, end to end: simulator -> SensorEventStream -> SensorData + ArchiveBucket -> query API', () => {
  it('makes every reading of 20 devices over 30 s queryable and archived', async () => {
    const prefix = `e2e-${process.pid}-${Date.now()}-`;
    const out = join(mkdtempSync(join(tmpdir(), 'iot-e2e-')), 'sent.ndjson');
    const started = new Date(Date.now() - 60_000).toISOString();
    await promisify(execFile)(
      process.execPath,
      [
        join(serviceDir, 'scripts', 'iot-simulate.ts'),
        '--devices',
        '20',
        '--rate',
        '1',
        '--duration',
        '30',
        '--endpoint',
        localCloud().endpoints.kinesis,
        '--stream',
        physicalId('SensorEventStream'),
        '--prefix',
        prefix,
        '--out',
        out,
      ],
      { cwd: serviceDir, timeout: 120_000 },
    );
    const sent = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Sent);
    expect(sent.length).toBeGreaterThanOrEqual(20 * 25);
    const sensors = [...new Set(sent.map((reading) => reading.sensorId))];
    expect(sensors).toHaveLength(20);

    await eventually(
      async () => {
        const stored = new Set(
          (await Promise.all(sensors.map((sensor) => queried(sensor, started)))).flat().map(keyOf),
        );
        expect(sent.filter((reading) => !stored.has(keyOf(reading)))).toEqual([]);
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    await eventually(
      async () => {
        const inArchive = new Set((await archived(prefix)).map(keyOf));
        expect(sent.filter((reading) => !inArchive.has(keyOf(reading)))).toEqual([]);
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  }, 240_000);
});
