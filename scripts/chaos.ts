// `npm run chaos -- [--duration S] [--rate R] [--down S] [--settle S] [--only a,b] [--stage NAME] [--json]`
// Drives a steady load on every pipeline of the running local cloud (R inputs/s each, S seconds) while
// DynamoDB Local, the Kinesis mock and Redis are stopped in turn for --down seconds and started again;
// then waits up to --settle seconds and prints, per pipeline: accepted, stored, dead-lettered, lost. While it
// runs: a line every 5 s on stderr (offered, accepted, stored so far) and one when a service goes down or comes back.
// Exits 1 if anything accepted was lost or stored more than once.
import { parseArgs } from 'node:util';
import { outagesInTurn, runChaos } from './lib/load/chaos.ts';
import { DRIVERS } from './lib/load/drivers.ts';
import { loadCounts, progressLine } from './lib/load/runner.ts';
import { fail, loadContext } from './lib/local-cloud.ts';
import { withProgress } from './lib/progress.ts';

const usage =
  'usage: npm run chaos -- [--duration S] [--rate R] [--down S] [--settle S] [--only <pipeline,...>] [--stage NAME] [--json]';
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    rate: { type: 'string', default: '2' },
    down: { type: 'string', default: '8' },
    settle: { type: 'string', default: '120' },
    only: { type: 'string' },
    stage: { type: 'string', default: 'dev' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (values.help) fail(usage, 0);
const [durationS, rate, downS, settleS] = [
  Number(values.duration),
  Number(values.rate),
  Number(values.down),
  Number(values.settle),
];
if (!(durationS > 0 && rate > 0 && downS > 0 && settleS >= 0))
  fail(`--duration, --rate and --down must be positive numbers, --settle at least 0\n${usage}`);
const names = values.only ? values.only.split(',') : Object.keys(DRIVERS);
const unknown = names.filter((name) => !DRIVERS[name]);
if (unknown.length > 0) fail(`no pipeline ${unknown.join(', ')}; there are: ${Object.keys(DRIVERS).join(', ')}`);

const context = loadContext(values.stage!);
const outages = outagesInTurn(durationS, downS);
console.error(
  `chaos: ${names.join(', ')} at ${rate}/s for ${durationS} s (run ${context.runId}); ${outages.map((o) => `${o.service} down at ${o.atS} s for ${o.downS} s`).join(', ')}`,
);
const counts = Object.fromEntries(names.map((name) => [name, loadCounts()]));
const report = await withProgress(
  (elapsedS) => progressLine(elapsedS, counts),
  () =>
    runChaos(context, {
      drivers: Object.fromEntries(names.map((name) => [name, DRIVERS[name]!])),
      rates: Object.fromEntries(names.map((name) => [name, rate])),
      durationS,
      outages,
      settleS,
      counts,
      onOutage: (event) => console.error(`  ${event}`),
    }),
);
if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.table(report.timeline);
  console.table(
    report.results.map((r) => ({
      pipeline: r.pipeline,
      sent: r.sent,
      accepted: r.accepted,
      'refused/errors': r.refused + r.errors,
      stored: r.stored,
      'dead-lettered': r.deadLettered,
      lost: r.lost,
      duplicates: r.duplicates,
    })),
  );
}
const lost = report.results.flatMap((r) => r.lostKeys.map((key) => `${r.pipeline}: ${key}`));
const duplicated = report.results.filter((r) => r.duplicates !== 0);
if (lost.length > 0)
  console.error(`lost (accepted, in no sink and no dead-letter queue):\n  ${lost.slice(0, 20).join('\n  ')}`);
if (duplicated.length > 0)
  console.error(`stored more than once: ${duplicated.map((r) => `${r.pipeline} ${r.duplicates}`).join(', ')}`);
if (lost.length > 0 || duplicated.length > 0) process.exitCode = 1;
