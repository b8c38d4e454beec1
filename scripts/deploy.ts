/**
 * `npm run deploy -- [--stage prod] [--region eu-west-1] [other serverless options]`: deploys the stack
 * with `serverless deploy`, then publishes web/ for the same stage and region.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const args = process.argv.slice(2);
const { values } = parseArgs({ args, strict: false, options: { stage: { type: 'string' }, region: { type: 'string' } } });
const run = (script: string, scriptArgs: string[]) => {
  const { status } = spawnSync(process.execPath, [script, ...scriptArgs], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};

run(createRequire(import.meta.url).resolve('osls/bin/serverless.js'), ['deploy', ...args]);
run(new URL('./deploy-web.ts', import.meta.url).pathname, [
  ...(typeof values.stage === 'string' ? ['--stage', values.stage] : []),
  ...(typeof values.region === 'string' ? ['--region', values.region] : []),
]);
