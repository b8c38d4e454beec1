import { stage, type Stage, withProgress } from '../scripts/lib/progress.ts';

/** `npm run bench -- <name> [options]`: runs one benchmark and prints its table; meanwhile, every 5 s, what runs and how far. */
const benchmarks: Record<string, () => Promise<{ run(args: string[], progress: Stage): Promise<void> }>> = {
  'cold-start': () => import('./cold-start.ts'),
  votes: () => import('./votes.ts'),
  tracking: () => import('./tracking-persist.ts'),
  'tracking-server': () => import('./tracking-server.ts'),
  files: () => import('./files.ts'),
  iot: () => import('./iot.ts'),
  'live-results': () => import('./live-results.ts'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benchmarks[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}> [options]`);
  process.exit(2);
}
const progress = stage();
const benchmark = await load();
await withProgress(
  (elapsedS) => `  ${String(elapsedS).padStart(4)} s  ${name}: ${progress.describe()}`,
  () => benchmark.run(args, progress),
);
process.exit(0);
