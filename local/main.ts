import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from './cloud/index.ts';
import { writePrivateFile } from './services/private-file.ts';
import { watchSources } from './watch.ts';

/**
 * `npm start`: the whole system on this machine (scripts/bootstrap.mjs has installed what it needs). Options:
 *   --stage <name>            stage to package (default dev)
 *   --http-port / --console-port   (default 3000 / 3001; env LOCAL_HTTP_PORT / LOCAL_CONSOLE_PORT)
 *   --inspect <function>      that function's sandbox listens for a debugger on 127.0.0.1:<inspect-port> (default 9229)
 *   --no-watch                do not reload functions when their source changes
 * Fault injection: FAULT_DYNAMODB_WRITE_RATE=0.2 npm start  makes 20% of the functions' DynamoDB writes fail.
 */
const { values } = parseArgs({
  options: {
    stage: { type: 'string', default: 'dev' },
    'http-port': { type: 'string', default: process.env.LOCAL_HTTP_PORT ?? '3000' },
    'console-port': { type: 'string', default: process.env.LOCAL_CONSOLE_PORT ?? '3001' },
    inspect: { type: 'string' },
    'inspect-port': { type: 'string', default: '9229' },
    watch: { type: 'boolean', default: true },
  },
  allowNegative: true,
});

const serviceDir = resolve(import.meta.dirname, '..');
const stateDir = join(serviceDir, '.local');
const endpointsFile = join(stateDir, 'endpoints.json');

const faultEnvironment = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name.startsWith('FAULT_')),
) as Record<string, string>;
console.log(`Starting the local cloud for stage ${values.stage} on Node ${process.version}:`);
const began = performance.now();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cloud = await startLocalCloud({
  serviceDir,
  stateDir,
  stage: values.stage,
  httpPort: Number(values['http-port']),
  consolePort: Number(values['console-port']),
  redisUrl: process.env.REDIS_URL,
  functionEnvironment: faultEnvironment,
  ...(values.inspect ? { inspect: { functionName: values.inspect, port: Number(values['inspect-port']) } } : {}),
  onStep: (name, ms) => console.log(`  ✓ ${name.padEnd(26)} ${seconds(ms).padStart(6)}`),
});
if (values.inspect) cloud.runtime.warm(values.inspect);
const watcher = values.watch
  ? watchSources({
      serviceDir,
      sourceDirs: ['src'],
      configFiles: configFilesOf(serviceDir),
      targets: cloud.model.functions.map((fn) => ({
        name: fn.name,
        entry: fn.handlerFile,
        reload: () => {
          cloud.runtime.reload(fn.name);
          if (fn.inspectPort) cloud.runtime.warm(fn.name);
        },
      })),
      onLine: (line) => console.log(line),
    })
  : undefined;

mkdirSync(stateDir, { recursive: true });
writePrivateFile(endpointsFile, JSON.stringify(cloud.endpoints, null, 2)); // owner-only: the Redis URL has its password
const { http, console: consoleUrl, ...services } = cloud.endpoints;
console.log(`
Local cloud ready in ${seconds(performance.now() - began)}.
  HTTP API        ${http}
  Results page    ${consoleUrl}/results.html
  IoT console     ${consoleUrl}/iot.html
  Console         ${consoleUrl}/console.html
  Functions       ${cloud.model.functions.map((f) => f.name).join(', ')}
  Routes          ${cloud.model.routes.map((r) => r.routeKey).join(', ')}
  Services        ${Object.entries(services)
    .map(([name, url]) => `${name}=${withoutPassword(url)}`)
    .join('  ')}
  Endpoints file  ${endpointsFile}
${Object.keys(faultEnvironment).length ? `  Faults          ${JSON.stringify(faultEnvironment)}\n` : ''}${values.inspect ? `  Debugger        ${values.inspect} on 127.0.0.1:${values['inspect-port']} (attach VS Code or chrome://inspect; invocations may run an hour)\n` : ''}${watcher ? '  Watching        src/: a changed function reloads at its next invocation (--no-watch to turn off)\n' : ''}Press Ctrl+C to stop.`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local cloud...`);
  rmSync(endpointsFile, { force: true });
  watcher?.close();
  await cloud.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

/** serverless.yml and the files it includes (`${file(...)}`): what a restart would apply. */
function configFilesOf(dir: string): string[] {
  const text = readFileSync(join(dir, 'serverless.yml'), 'utf8');
  return ['serverless.yml', ...new Set([...text.matchAll(/\$\{file\(([^)]+)\)/g)].map((match) => match[1]!))];
}

/** A URL to print: the Redis URL carries its AUTH token, which stays in the owner-only endpoints file. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (!parsed.password) return url;
  parsed.password = '';
  return parsed.toString().replace(/\/$/, '');
}
