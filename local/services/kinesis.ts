import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { freePort, waitForPort } from '../net.ts';
import { raceExit, spawnQuiet, stopProcess } from './process.ts';
import { startRelay } from './relay.ts';
import type { RunningService } from './types.ts';

const require = createRequire(import.meta.url);

/**
 * kinesis-mock (npm kinesis-local). It reads server.json beside main.js, so it runs from its own folder.
 * It listens behind a relay, and an outage (for chaos tests) is the relay refusing every connection
 * while the mock keeps running: the mock does not finish a graceful shutdown while connections it has
 * not read from are open, and killing it loses what it has not saved. Real Kinesis never restarts
 * either; clients see it unreachable, then back with every record.
 */
export async function startKinesis(options: { port?: number } = {}): Promise<RunningService> {
  const port = options.port ?? await freePort();
  const [privatePort, tlsPort] = [await freePort(), await freePort()];
  const packageDir = dirname(require.resolve('kinesis-local/package.json'));
  const { child, output } = spawnQuiet(process.execPath, ['main.js'], {
    cwd: packageDir,
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(privatePort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      // Streams are ACTIVE at once: the local cloud provisions them before anything polls.
      CREATE_STREAM_DURATION: '0ms',
      DELETE_STREAM_DURATION: '0ms',
      SHARD_LIMIT: '1000',
      LOG_LEVEL: 'WARN',
    },
  });
  await raceExit(child, waitForPort(privatePort, 'Kinesis mock'), 'Kinesis mock', output);
  const relay = await startRelay(port, privatePort);
  return {
    name: 'kinesis', endpoint: `http://127.0.0.1:${port}`,
    control: {
      stop: async () => relay.refuse(),
      start: async () => relay.accept(),
      running: () => relay.accepting(),
    },
    stop: async () => {
      await relay.close();
      await stopProcess(child);
    },
  };
}
