/** `npm run bench -- <name> [options]`: runs one benchmark and prints its table. */
const benchmarks: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  votes: () => import('./votes.ts'),
  tracking: () => import('./tracking-persist.ts'),
  'tracking-server': () => import('./tracking-server.ts'),
  files: () => import('./files.ts'),
  iot: () => import('./iot.ts'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benchmarks[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}> [options]`);
  process.exit(2);
}
await (await load()).run(args);
process.exit(0);
