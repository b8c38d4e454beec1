import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventually, localCloud, physicalId } from '../support/cloud.ts';
import { deliveredLogLines, failedLogRecords } from '../support/logging.ts';

const serviceDir = resolve(import.meta.dirname, '../..');

describe('central logging, end to end: logs:publish -> LogStream -> Firehose + transformLogRecords -> CentralLogBucket', () => {
  it('delivers every published log event exactly once as NDJSON, and the corrupt records under the error prefix', async () => {
    const run = `e2e-${process.pid}-${Date.now()}`;
    const out = join(mkdtempSync(join(tmpdir(), 'logs-e2e-')), 'sent.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(serviceDir, 'scripts', 'logs-publish.ts'),
        '--events',
        '600',
        '--groups',
        '4',
        '--corrupt',
        '3',
        '--run',
        run,
        '--endpoint',
        localCloud().endpoints.kinesis,
        '--stream',
        physicalId('LogStream'),
        '--out',
        out,
      ],
      { cwd: serviceDir, timeout: 60_000 },
    );
    expect(stdout).toContain('600 log event(s) of 4 log group(s)');
    const sent = JSON.parse(readFileSync(out, 'utf8')) as { eventIds: string[]; corrupt: string[] };
    expect(sent.eventIds).toHaveLength(600);

    await eventually(
      async () => {
        const lines = await deliveredLogLines(`/aws/lambda/${run}-`);
        expect(lines.map((line) => line.id).sort()).toEqual([...sent.eventIds].sort());
        expect(new Set(lines.map((line) => line.logGroup)).size).toBe(4);
        expect(lines[0]).toEqual({
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          logGroup: expect.any(String),
          logStream: expect.any(String),
          owner: '000000000000',
          id: expect.any(String),
          message: expect.stringContaining('"request handled"'),
        });
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    await eventually(
      async () => {
        const failed = (await failedLogRecords()).filter((record) => record.raw.includes(run));
        expect(failed.map((record) => record.raw).sort()).toEqual([...sent.corrupt].sort());
        for (const record of failed) {
          expect(record.errorCode).toBe('Lambda.ProcessingFailedStatus');
          expect(record.key).toMatch(
            /^errors\/processing-failed\/year=\d{4}\/month=\d\d\/day=\d\d\/hour=\d\d\/.+\.gz$/,
          );
        }
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
  }, 180_000);
});
