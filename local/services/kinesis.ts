import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { freePort, waitForPort } from '../net.ts';
import { raceExit, spawnQuiet, stopProcess } from './process.ts';
import type { RunningService } from './types.ts';

const require = createRequire(import.meta.url);

/** kinesis-mock (npm kinesis-local). It reads server.json beside main.js, so it runs from its own folder. */
export async function startKinesis(options: { port?: number } = {}): Promise<RunningService> {
  const port = options.port ?? await freePort();
  const tlsPort = await freePort();
  const packageDir = dirname(require.resolve('kinesis-local/package.json'));
  const { child, output } = spawnQuiet(process.execPath, ['main.js'], {
    cwd: packageDir,
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(port),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      // Streams are ACTIVE at once: the local cloud provisions them before anything polls.
      CREATE_STREAM_DURATION: '0ms',
      DELETE_STREAM_DURATION: '0ms',
      SHARD_LIMIT: '1000',
      LOG_LEVEL: 'WARN',
    },
  });
  await raceExit(child, waitForPort(port, 'Kinesis mock'), 'Kinesis mock', output);
  return { name: 'kinesis', endpoint: `http://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}
