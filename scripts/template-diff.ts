// `npm run template:diff -- save <dir> [--stages prod,test,dev] [--service-dir <folder>]`
//   packages each stage of the service (default: this checkout) and writes <dir>/<stage>.json, normalized.
// `npm run template:diff -- compare <before dir> <after dir>`
//   prints every difference between the templates of each stage saved in both; exits 1 if there is one.
// Use: save a snapshot of the old configuration (e.g. `git worktree add /tmp/old main`, then
// `save /tmp/before --service-dir /tmp/old`), save one of the new, compare the two.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageService } from '@refarch/local-cloud';
import { normalizeTemplate, templateDifferences } from './lib/template-diff.ts';

const usage =
  'usage: npm run template:diff -- save <dir> [--stages prod,test,dev] [--service-dir <folder>] | compare <before dir> <after dir>';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    stages: { type: 'string', default: 'prod,test,dev' },
    'service-dir': { type: 'string', default: resolve(import.meta.dirname, '..') },
  },
});
const [command, first, second] = positionals;

if (command === 'save' && first) {
  mkdirSync(first, { recursive: true });
  for (const stage of values.stages.split(',')) {
    const serviceDir = resolve(values['service-dir']);
    const { template } = await packageService(serviceDir, stage, join(serviceDir, '.local', `template-diff-${stage}`));
    writeFileSync(join(first, `${stage}.json`), `${JSON.stringify(normalizeTemplate(template), null, 2)}\n`);
    console.log(`saved ${join(first, `${stage}.json`)}`);
  }
} else if (command === 'compare' && first && second) {
  let differences = 0;
  for (const file of readdirSync(first)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const read = (dir: string): unknown => normalizeTemplate(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const lines = templateDifferences(read(first), read(second));
    console.log(`${file}: ${lines.length === 0 ? 'identical' : `${lines.length} difference(s)`}`);
    for (const line of lines) console.log(`  ${line}`);
    differences += lines.length;
  }
  process.exitCode = differences > 0 ? 1 : 0;
} else {
  console.error(usage);
  process.exitCode = 2;
}
