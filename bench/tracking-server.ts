import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import { startLocalCloud, startLocalServer, type LocalCloud, type RunningService } from '@refarch/local-cloud';
import { stage, type Stage } from '../scripts/lib/progress.ts';
import { interleaveRuns, median } from './lib/interleave.ts';

const root = resolve(import.meta.dirname, '..');
const execute = promisify(execFile);

interface Options {
  connections: number;
  durationS: number;
  rounds: number;
  warmupS: number;
  profileDir?: string;
}
interface Measured {
  requestsPerS: number;
  p99Ms: number;
  failed: number;
}

const BARE = 'bare node:http (same JSON size)';
const FAST = 'tracker, L1 hits, fast Kinesis stand-in';
const LOOKUPS = 'tracker, Redis lookups (L1 TTL 1 ms), stand-in';
const LOCAL_KINESIS = 'tracker, L1 hits, local cloud Kinesis';

/**
 * The tracking server under autocannon (this process; every server in its own process), side by side
 * in one run: the bare limit (plain node:http answering a JSON body of the same size), the tracker with
 * L1 hits against a Kinesis stand-in that accepts at once, with Redis lookups, and against the local cloud's Kinesis engine.
 * Variants alternate round by round; the table shows medians. Every 200 of the tracker means its
 * protobuf event was accepted by (the stand-in of) Kinesis first. `--profile <dir>`: CPU profile of the
 * stand-in tracker (node --cpu-prof), written when it stops.
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const options = parseOptions(args);
  progress.set('starting a local cloud');
  const cloud = await startLocalCloud({
    serviceDir: root,
    stage: 'bench',
    stateDir: join(root, '.local', 'bench'),
    onLog: () => {},
  });
  const started: RunningService[] = [];
  try {
    progress.set('publishing core data');
    const path = `/event/${await publishCoreData(cloud)}`;
    progress.set('starting the bare server, the Kinesis stand-in and two trackers');
    const urls = await startServers(cloud, options, started);
    urls[LOCAL_KINESIS] = cloud.endpoints.tracking!;
    for (const [label, url] of Object.entries(urls)) {
      progress.set(`${label}: warm-up`);
      await measure(url + path, { ...options, durationS: options.warmupS });
    }
    const saturated = await interleaveRuns(variants(urls, path, options, progress, 'saturated'), options.rounds);
    const rate = Math.round(median(saturated[BARE]!.map((m) => m.requestsPerS)) / 2);
    const { [LOCAL_KINESIS]: _slow, ...atRate } = urls; // the local cloud's Kinesis cannot keep up with half the bare rate: saturated figures only
    const latency = await interleaveRuns(
      variants(atRate, path, { ...options, rate }, progress, `${rate}/s`),
      options.rounds,
    );
    console.log(
      `\ntracking server: autocannon, ${options.connections} connections, ${options.durationS} s per run, ${options.rounds} interleaved rounds (medians); p99 at ${rate} requests/s = half the bare server's maximum\n`,
    );
    console.table(table(saturated, latency, rate));
  } finally {
    for (const server of started.reverse()) await server.stop();
    await cloud.stop();
  }
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '3' },
      profile: { type: 'string' },
    },
  });
  return {
    connections: Number(values.connections),
    durationS: Number(values.duration),
    rounds: Number(values.rounds),
    warmupS: Number(values.warmup),
    profileDir: values.profile,
  };
}

async function startServers(
  cloud: LocalCloud,
  options: Options,
  started: RunningService[],
): Promise<Record<string, string>> {
  const spec = (name: string, entry: string) => ({ name, entry, environmentOf: 'trackEvent' });
  const start = async (name: string, entry: string, environment: Record<string, string>) => {
    const server = await startLocalServer(spec(name, entry), root, environment, () => {});
    started.push(server);
    return server.endpoint;
  };
  const standIn = await start('kinesis-stand-in', 'bench/lib/kinesis-stand-in.ts', {});
  const tracker = { ...cloud.functionEnvironment('trackEvent'), AWS_ENDPOINT_URL_KINESIS: standIn };
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const profile: Record<string, string> = options.profileDir
    ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(options.profileDir)}` }
    : {};
  return {
    [BARE]: await start('bare-http', 'bench/lib/bare-http-server.ts', {}),
    [FAST]: await start('tracker-fast', 'src/server/tracking/main.ts', { ...tracker, ...profile }),
    [LOOKUPS]: await start('tracker-lookups', 'src/server/tracking/main.ts', {
      ...tracker,
      TRACKING_CACHE_TTL_MS: '1',
    }),
  };
}

function variants(
  urls: Record<string, string>,
  path: string,
  options: Options & { rate?: number },
  progress: Stage,
  what: string,
) {
  let run = 0;
  const total = Object.keys(urls).length * options.rounds;
  return Object.fromEntries(
    Object.entries(urls).map(([label, url]) => [
      label,
      () => {
        run += 1;
        progress.set(`${what}, run ${run} of ${total}: ${label}`);
        return measure(url + path, options);
      },
    ]),
  );
}

async function measure(url: string, options: Options & { rate?: number }): Promise<Measured> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationS,
    headers: { 'user-agent': 'bench/tracking-server' },
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  return {
    requestsPerS: result['2xx'] / options.durationS,
    p99Ms: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

function table(saturated: Record<string, Measured[]>, latency: Record<string, Measured[]>, rate: number) {
  const bare = median(saturated[BARE]!.map((m) => m.requestsPerS));
  return Object.fromEntries(
    Object.entries(saturated).map(([label, runs]) => {
      const requestsPerS = median(runs.map((m) => m.requestsPerS));
      const atRate = latency[label];
      return [
        label,
        {
          'requests/s': Math.round(requestsPerS),
          'of bare': `${Math.round((100 * requestsPerS) / bare)}%`,
          [`p99 ms at ${rate}/s`]: atRate ? median(atRate.map((m) => m.p99Ms)) : '—',
          'failed (non-2xx, errors)': [...runs, ...(atRate ?? [])].reduce((sum, m) => sum + m.failed, 0),
        },
      ];
    }),
  );
}

/** Publishes the sample core data and waits until the cloud's tracker knows it; answers a valid program id. */
async function publishCoreData(cloud: LocalCloud): Promise<string> {
  await execute(
    process.execPath,
    [
      join(root, 'scripts', 'coredata-publish.ts'),
      join(root, 'data', 'programs.sample.json'),
      '--endpoint',
      cloud.endpoints.kinesis,
    ],
    { cwd: root },
  );
  const programs = (
    JSON.parse(readFileSync(join(root, 'data', 'programs.sample.json'), 'utf8')) as Array<{
      programId: string;
      valid: boolean;
    }>
  ).filter((p) => p.valid);
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${cloud.endpoints.tracking}/event/${programs[0]!.programId}`);
    if (response.status === 200) return programs[0]!.programId;
    if (attempt > 300) throw new Error('core data did not reach Redis');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
