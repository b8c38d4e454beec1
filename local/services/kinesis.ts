import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, waitForPort } from '../net.ts';
import { raceExit, spawnQuiet, stopProcess } from './process.ts';
import { startRelay, type RequestRewrite } from './relay.ts';
import { LOCAL_REGION, type RunningService } from './types.ts';

const require = createRequire(import.meta.url);

/**
 * kinesis-mock (npm kinesis-local). It reads server.json beside main.js, so it runs from its own folder.
 * It listens behind a relay, and an outage (for chaos tests) is the relay refusing every connection
 * while the mock keeps running: the mock does not finish a graceful shutdown while connections it has
 * not read from are open, and killing it loses what it has not saved. Real Kinesis never restarts
 * either; clients see it unreachable, then back with every record.
 *
 * kinesis-mock listens on every interface and has no setting for it: loopback-only.ts, preloaded into
 * its process, makes it listen on 127.0.0.1 (its plain and TLS ports), like the relay in front of it.
 * It keeps streams per region, and per account for an access key id of 12 digits, as the credential
 * scope of a request's signature names them (it checks no signature): the relay makes every request
 * speak for the local account and region (`toLocalScope`), so any credentials and region see the same
 * streams, as LocalStack does.
 */
export async function startKinesis(options: { port?: number } = {}): Promise<RunningService> {
  const port = options.port ?? await freePort();
  const [privatePort, tlsPort] = [await freePort(), await freePort()];
  const packageDir = dirname(require.resolve('kinesis-local/package.json'));
  const { child, output } = spawnQuiet(process.execPath, ['--import', pathToFileURL(join(import.meta.dirname, 'loopback-only.ts')).href, 'main.js'], {
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
  const relay = await startRelay(port, privatePort, toLocalScope);
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

/**
 * `Credential=<key id>/<date>/<region>/kinesis/aws4_request` (header or presigned query) ->
 * `local/<date>/us-east-1/...`: kinesis-mock then serves its default account in the local region.
 */
export const toLocalScope: RequestRewrite = ({ path, headers }) => {
  const scope = (credential: string) => credential.replace(/^[^/]*\/(\d{8})\/[^/]*\//, `local/$1/${LOCAL_REGION}/`);
  const authorization = headers.authorization;
  const rewritten = typeof authorization === 'string'
    ? { ...headers, authorization: authorization.replace(/Credential=([^,\s]+)/, (_match, credential: string) => `Credential=${scope(credential)}`) }
    : headers;
  if (!path.includes('X-Amz-Credential=')) return { path, headers: rewritten };
  const url = new URL(path, 'http://relay.invalid');
  url.searchParams.set('X-Amz-Credential', scope(url.searchParams.get('X-Amz-Credential') ?? ''));
  return { path: `${url.pathname}${url.search}`, headers: rewritten };
};
