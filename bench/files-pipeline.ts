import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalCloud } from '../local/cloud/index.ts';
import { LOCAL_CREDENTIALS } from '../local/services/types.ts';
import { markdownCorpus } from './markdown-corpus.ts';

const FUNCTIONS = ['renderHtml', 'renderText', 'extractMetadata'] as const;

/**
 * The file pipeline end to end on the local cloud: upload -> S3 notification -> SNS -> three async
 * functions -> all three artifacts written. A file is done when each function has logged
 * "derivative made" for its key; latency is from the start of its upload to the last of the three.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { files: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '8' } } });
  const corpus = markdownCorpus().filter((file) => file.bytes.length <= 1024 * 1024);
  const files = Array.from({ length: Number(values.files) }, (_, i) => corpus[i % corpus.length]!);
  const made = new Map<string, Map<string, number>>();   // key -> function -> ms
  const serviceDir = resolve(import.meta.dirname, '..');
  const cloud = await startLocalCloud({
    serviceDir, stage: 'bench', stateDir: join(serviceDir, '.local', 'bench'),
    onLog: (name, line) => recordDerivative(made, name, line),
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: cloud.endpoints.s3, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    const bucket = `${cloud.model.stackName}-input-000000000000-us-east-1`;
    const startedAt = new Map<string, number>();
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: Number(values.concurrency) }, async () => {
      for (let i = next++; i < files.length; i = next++) {
        const key = `bench/${String(i).padStart(4, '0')}-${files[i]!.name}`;
        startedAt.set(key, performance.now());
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: files[i]!.bytes, ContentType: 'text/markdown; charset=utf-8' }));
      }
    }));
    const uploadedMs = performance.now() - started;
    const latencies = await waitForAll(startedAt, made, 300_000);
    const totalMs = Math.max(...[...startedAt.keys()].map((key) => doneAt(made, key) ?? 0)) - started;
    const totalBytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
    console.log(`\nfiles end to end: ${files.length} uploads (${(totalBytes / 1e6).toFixed(1)} MB, ${values.concurrency} at a time) -> 3 artifacts each\n`);
    console.table([{
      files: files.length, 'all artifacts': latencies.length, 'uploads/s': Math.round(files.length / (uploadedMs / 1000)),
      'files/s end to end': Math.round(files.length / (totalMs / 1000)),
      'p50 ms': percentile(latencies, 0.5), 'p99 ms': percentile(latencies, 0.99), 'max ms': Math.round(Math.max(...latencies)),
    }]);
    s3.destroy();
  } finally {
    await cloud.stop();
  }
}

function recordDerivative(made: Map<string, Map<string, number>>, functionName: string, line: string): void {
  if (!line.includes('"derivative made"')) return;
  try {
    const { key } = JSON.parse(line) as { key?: string };
    if (!key) return;
    const byFunction = made.get(key) ?? new Map<string, number>();
    byFunction.set(functionName, performance.now());
    made.set(key, byFunction);
  } catch {
    // not a JSON log line
  }
}

function doneAt(made: Map<string, Map<string, number>>, key: string): number | undefined {
  const byFunction = made.get(key);
  if (!byFunction || !FUNCTIONS.every((fn) => byFunction.has(fn))) return undefined;
  return Math.max(...byFunction.values());
}

async function waitForAll(startedAt: Map<string, number>, made: Map<string, Map<string, number>>, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const latencies = [...startedAt].flatMap(([key, at]) => {
      const done = doneAt(made, key);
      return done === undefined ? [] : [done - at];
    });
    if (latencies.length === startedAt.size || Date.now() > deadline) return latencies;
    await sleep(200);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
}
