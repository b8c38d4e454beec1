import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from './cloud/index.ts';
import { missingPrerequisites } from './preflight.ts';
import { writePrivateFile } from './services/private-file.ts';

/**
 * `npm start`: the whole system on this machine. Options:
 *   --stage <name>            stage to package (default dev)
 *   --http-port / --console-port   (default 3000 / 3001; env LOCAL_HTTP_PORT / LOCAL_CONSOLE_PORT)
 * Fault injection: FAULT_DYNAMODB_WRITE_RATE=0.2 npm start  makes 20% of the functions' DynamoDB writes fail.
 */
const { values } = parseArgs({
  options: {
    stage: { type: 'string', default: 'dev' },
    'http-port': { type: 'string', default: process.env.LOCAL_HTTP_PORT ?? '3000' },
    'console-port': { type: 'string', default: process.env.LOCAL_CONSOLE_PORT ?? '3001' },
  },
});

const serviceDir = resolve(import.meta.dirname, '..');
const stateDir = join(serviceDir, '.local');
const endpointsFile = join(stateDir, 'endpoints.json');

const missing = missingPrerequisites({ needRedisServer: !process.env.REDIS_URL });
if (missing.length) {
  console.error(`npm start needs:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  process.exit(1);
}

const faultEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('FAULT_'))) as Record<string, string>;
console.log(`Starting the local cloud for stage ${values.stage} (packaging serverless.yml, starting DynamoDB Local, Kinesis, S3, SQS, SNS, Redis)...`);
const cloud = await startLocalCloud({
  serviceDir, stateDir, stage: values.stage,
  httpPort: Number(values['http-port']), consolePort: Number(values['console-port']),
  redisUrl: process.env.REDIS_URL, functionEnvironment: faultEnvironment,
});

mkdirSync(stateDir, { recursive: true });
writePrivateFile(endpointsFile, JSON.stringify(cloud.endpoints, null, 2)); // owner-only: the Redis URL has its password
const { http, console: consoleUrl, ...services } = cloud.endpoints;
console.log(`
Local cloud ready.
  HTTP API        ${http}
  Results page    ${consoleUrl}/results.html
  IoT console     ${consoleUrl}/iot.html
  Console         ${consoleUrl}/console.html
  Functions       ${cloud.model.functions.map((f) => f.name).join(', ')}
  Routes          ${cloud.model.routes.map((r) => r.routeKey).join(', ')}
  Services        ${Object.entries(services).map(([name, url]) => `${name}=${url}`).join('  ')}
  Endpoints file  ${endpointsFile}
${Object.keys(faultEnvironment).length ? `  Faults          ${JSON.stringify(faultEnvironment)}\n` : ''}Press Ctrl+C to stop.`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local cloud...`);
  rmSync(endpointsFile, { force: true });
  await cloud.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
