// `npm run load -- <pipeline|all> [--duration S] [--rate R] [--settle S] [--json]`
// Drives a steady load (open loop, R inputs/s for S seconds) on a pipeline of the running local cloud through
// its real entry point, then waits up to --settle seconds until every accepted input is in the pipeline's sink.
// Prints throughput, request latency percentiles, errors, and freshness (accepted -> visible in the sink);
// while it runs, a line every 5 s on stderr with what was offered, accepted and stored so far.
// `all` runs every pipeline at once, each at the given rate. Exits 1 if anything accepted was lost.
import { parseArgs } from 'node:util';
import { deadLetterReader } from './lib/load/dead-letters.ts';
import { DRIVERS } from './lib/load/drivers.ts';
import { loadCounts, progressLine, resultRow, runLoad } from './lib/load/runner.ts';
import { fail, loadContext } from './lib/local-cloud.ts';
import { withProgress } from './lib/progress.ts';

const usage = `usage: npm run load -- <${Object.keys(DRIVERS).join('|')}|all> [--duration S] [--rate R] [--settle S] [--stage NAME] [--json]`;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: '30' },
    rate: { type: 'string', default: '10' },
    settle: { type: 'string', default: '60' },
    stage: { type: 'string', default: 'dev' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (values.help) fail(usage, 0);
const [pipeline] = positionals;
const names = pipeline === 'all' ? Object.keys(DRIVERS) : pipeline && DRIVERS[pipeline] ? [pipeline] : fail(usage);
const [durationS, rate, settleS] = [Number(values.duration), Number(values.rate), Number(values.settle)];
if (!(durationS > 0 && rate > 0 && settleS >= 0))
  fail(`--duration and --rate must be positive numbers, --settle at least 0\n${usage}`);

const context = loadContext(values.stage!);
console.error(
  `load: ${names.join(', ')} at ${rate}/s for ${durationS} s each (run ${context.runId}), then up to ${settleS} s for the sinks`,
);
const deadLetters = deadLetterReader(context);
const counts = Object.fromEntries(names.map((name) => [name, loadCounts()]));
const results = await withProgress(
  (elapsedS) => progressLine(elapsedS, counts),
  () =>
    Promise.all(
      names.map((name) =>
        runLoad(DRIVERS[name]!(context), {
          durationS,
          rate,
          settleS,
          deadLetters: deadLetters.texts,
          counts: counts[name],
        }),
      ),
    ),
);
deadLetters.close();
if (values.json) console.log(JSON.stringify(results, null, 2));
else console.table(results.map(resultRow));
const lost = results.reduce((sum, result) => sum + result.lost, 0);
if (lost > 0) {
  console.error(`${lost} accepted input(s) neither in their sink after ${settleS} s nor in a dead-letter queue`);
  process.exitCode = 1;
}
