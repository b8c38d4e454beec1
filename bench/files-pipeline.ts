import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalCloud, LOCAL_CREDENTIALS } from '@refarch/local-cloud';
import { stage, type Stage } from '../scripts/lib/progress.ts';
import { markdownCorpus, type CorpusFile } from './markdown-corpus.ts';

const FUNCTIONS = ['renderHtml', 'renderText', 'extractMetadata'] as const;

/**
 * The file pipeline end to end on the local cloud: upload -> S3 notification -> SNS -> three async
 * functions -> all three artifacts written. A file is done when each function has logged
 * "derivative made" for its key; latency is from the start of its upload to the last of the three.
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      files: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '8' },
      // Uploads per second; 0 sends them as fast as the concurrency allows (a burst: latency is then mostly queueing).
      rate: { type: 'string', default: '0' },
      warmup: { type: 'string', default: '24' },
    },
  });
  const rate = Number(values.rate);
  const corpus = markdownCorpus().filter((file) => file.bytes.length <= 1024 * 1024);
  const files = Array.from({ length: Number(values.files) }, (_, i) => corpus[i % corpus.length]!);
  const made = new Map<string, Map<string, number>>(); // key -> function -> ms
  const serviceDir = resolve(import.meta.dirname, '..');
  const pace = rate > 0 ? `${rate}/s` : `a burst, ${values.concurrency} at a time`;
  progress.set(`files end to end (${pace}): starting a local cloud`);
  const cloud = await startLocalCloud({
    serviceDir,
    stage: 'bench',
    stateDir: join(serviceDir, '.local', 'bench'),
    onLog: (name, line) => recordDerivative(made, name, line),
  });
  try {
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: cloud.endpoints.s3,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    const bucket = `${cloud.model.stackName}-input-000000000000-us-east-1`;
    const upload = (label: string, batch: typeof files, uploadRate: number) =>
      uploadAll(
        s3,
        bucket,
        label,
        batch,
        { rate: uploadRate, concurrency: Number(values.concurrency) },
        made,
        (text, total) => progress.set(`files end to end (${pace}), ${label}: ${text}`, total),
        progress,
      );
    // Warm-up: the first invocations start sandboxes (cold starts); a steady stream rarely does.
    await upload('warmup', files.slice(0, Number(values.warmup)), 0);
    const { startedAt, started, uploadedMs } = await upload('bench', files, rate);
    const latencies = await waitForAll(startedAt, made, 300_000, progress);
    const totalMs = Math.max(...[...startedAt.keys()].map((key) => doneAt(made, key) ?? 0)) - started;
    const totalBytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
    console.log(
      `\nfiles end to end: ${files.length} uploads (${(totalBytes / 1e6).toFixed(1)} MB, ${pace}) -> 3 artifacts each\n`,
    );
    console.table([
      {
        files: files.length,
        'all artifacts': latencies.length,
        'uploads/s': Math.round(files.length / (uploadedMs / 1000)),
        'files/s end to end': Math.round(files.length / (totalMs / 1000)),
        'p50 ms': percentile(latencies, 0.5),
        'p99 ms': percentile(latencies, 0.99),
        'max ms': Math.round(Math.max(...latencies)),
      },
    ]);
    const slowest = [...startedAt]
      .map(([key, at]) => ({ key, ms: Math.round((doneAt(made, key) ?? Number.NaN) - at) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3);
    console.log(
      `slowest: ${slowest.map(({ key, ms }) => `${key} ${ms} ms (${files[Number(key.split('/')[1]!.slice(0, 4))]!.bytes.length} bytes)`).join('; ')}`,
    );
    const { functions } = (await cloud.stats()) as {
      functions: Array<{ name: string; invocations: number; errors: number; coldStarts: number }>;
    };
    console.log(
      `functions: ${functions
        .filter((f) => (FUNCTIONS as readonly string[]).includes(f.name))
        .map((f) => `${f.name} ${f.invocations} invocations, ${f.errors} errors, ${f.coldStarts} cold starts`)
        .join('; ')}`,
    );
    s3.destroy();
  } finally {
    await cloud.stop();
  }
}

/** Uploads files (at `rate` per second, or as fast as `concurrency` allows) and waits until all three artifacts of each exist. */
async function uploadAll(
  s3: S3Client,
  bucket: string,
  label: string,
  files: CorpusFile[],
  options: { rate: number; concurrency: number },
  made: Map<string, Map<string, number>>,
  step: (text: string, total?: number) => void,
  progress: Stage,
) {
  const startedAt = new Map<string, number>();
  const started = performance.now();
  step('uploading', files.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let i = next++; i < files.length; i = next++) {
        if (options.rate > 0) await sleep(Math.max(0, started + (i * 1000) / options.rate - performance.now()));
        const key = `${label}/${String(i).padStart(4, '0')}-${files[i]!.name}`;
        startedAt.set(key, performance.now());
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: files[i]!.bytes,
            ContentType: 'text/markdown; charset=utf-8',
          }),
        );
        progress.done(startedAt.size);
      }
    }),
  );
  const uploadedMs = performance.now() - started;
  step('files with all 3 artifacts', files.length);
  await waitForAll(startedAt, made, 300_000, progress);
  return { startedAt, started, uploadedMs };
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

async function waitForAll(
  startedAt: Map<string, number>,
  made: Map<string, Map<string, number>>,
  timeoutMs: number,
  progress: Stage,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const latencies = [...startedAt].flatMap(([key, at]) => {
      const done = doneAt(made, key);
      return done === undefined ? [] : [done - at];
    });
    progress.done(latencies.length);
    if (latencies.length === startedAt.size || Date.now() > deadline) return latencies;
    await sleep(200);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
}
