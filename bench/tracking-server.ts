import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { startLocalCloud, startLocalServer, type LocalCloud } from '@refarch/local-cloud';
import { stage, type Stage } from '../scripts/lib/progress.ts';

const root = resolve(import.meta.dirname, '..');
const execute = promisify(execFile);

/**
 * The tracking server under load from a second process (scripts/tracking-load.ts, open loop):
 * requests/s and p50/p99 latency for L1-cache hits, and for Redis lookups (a second server whose L1
 * entries expire after 1 ms). Every 200 means the protobuf event was accepted by Kinesis first.
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({ args, options: {
    events: { type: 'string', default: '4000' }, rate: { type: 'string', default: '3000' }, 'latency-rate': { type: 'string', default: '200' },
  } });
  progress.set('starting a local cloud');
  const cloud = await startLocalCloud({ serviceDir: root, stage: 'bench', stateDir: join(root, '.local', 'bench'), onLog: () => {} });
  try {
    progress.set('publishing core data');
    await publishCoreData(cloud);
    const redisServer = await startLocalServer({ name: 'tracking-redis', entry: 'src/server/tracking/main.ts', environmentOf: 'trackEvent' }, root,
      { ...cloud.functionEnvironment('trackEvent'), TRACKING_CACHE_TTL_MS: '1' }, () => {});
    try {
      const rows: Record<string, unknown> = {};
      for (const [label, url] of [['L1 cache hits', cloud.endpoints.tracking!], ['Redis lookups (L1 TTL 1 ms)', redisServer.endpoint]] as const) {
        progress.set(`${label}: warm-up`);
        await load(url, 200, 200); // warm-up: connections, JIT, cache
        progress.set(`${label}: capacity, ${values.events} hits offered at ${values.rate}/s`);
        const capacity = await load(url, Number(values.events), Number(values.rate));
        progress.set(`${label}: latency, 10 s at ${values['latency-rate']}/s`);
        const latency = await load(url, Number(values['latency-rate']) * 10, Number(values['latency-rate']));
        rows[label] = { 'requests/s (saturated)': capacity['requests/s'], [`p50 ms at ${values['latency-rate']}/s`]: latency['p50 ms'], [`p99 ms at ${values['latency-rate']}/s`]: latency['p99 ms'], statuses: latency.statuses };
      }
      console.log(`\ntracking server, load from a second process (open loop): capacity with ${values.events} hits offered at ${values.rate}/s; latency over 10 s at ${values['latency-rate']}/s\n`);
      console.table(rows);
    } finally {
      await redisServer.stop();
    }
  } finally {
    await cloud.stop();
  }
}

async function publishCoreData(cloud: LocalCloud): Promise<void> {
  await execute(process.execPath, [join(root, 'scripts', 'coredata-publish.ts'), join(root, 'data', 'programs.sample.json'), '--endpoint', cloud.endpoints.kinesis], { cwd: root });
  const programs = validPrograms();
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${cloud.endpoints.tracking}/event/${programs[0]}`);
    if (response.status === 200) return;
    if (attempt > 300) throw new Error('core data did not reach Redis');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function validPrograms(): string[] {
  return (JSON.parse(readFileSync(join(root, 'data', 'programs.sample.json'), 'utf8')) as Array<{ programId: string; valid: boolean }>)
    .filter((p) => p.valid).map((p) => p.programId);
}

async function load(url: string, events: number, rate: number) {
  const programsFile = join(root, '.local', 'bench', 'valid-programs.json');
  writeFileSync(programsFile, JSON.stringify(validPrograms()));
  const { stdout } = await execute(process.execPath, [join(root, 'scripts', 'tracking-load.ts'), '--url', url, '--events', String(events), '--rate', String(rate), '--programs', programsFile, '--json'], { cwd: root, maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { perSecond: number; p50: number; p99: number; statuses: Record<string, number> };
  return { 'requests/s': result.perSecond, 'p50 ms': result.p50, 'p99 ms': result.p99, statuses: JSON.stringify(result.statuses) };
}
