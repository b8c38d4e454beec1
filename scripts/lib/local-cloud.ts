// What the scripts share to reach the running local cloud: its endpoints file, its Kinesis client, and
// a stream found by the suffix of its name (physical names carry the service and stage).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { keepAliveHandler } from '../../src/adapters/http-handler.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@refarch/local-cloud';
import type { LoadContext } from './load/drivers.ts';

export const endpointsFile = join(resolve(import.meta.dirname, '../..'), '.local', 'endpoints.json');

/** `.local/endpoints.json` of the running local cloud, or undefined when none is running. */
export function readEndpoints(): Record<string, string | undefined> | undefined {
  try {
    return JSON.parse(readFileSync(endpointsFile, 'utf8')) as Record<string, string | undefined>;
  } catch {
    return undefined;
  }
}

/** What the load and chaos tools need of the running local cloud: its endpoints, the stack name, a fresh run id. */
export function loadContext(stage: string): LoadContext {
  const endpoints = readEndpoints() ?? fail('no .local/endpoints.json: start the local cloud first (npm start)');
  return { endpoints, stackName: `refarch-${stage}`, runId: randomUUID().slice(0, 8) };
}

/** One service's endpoint of the running local cloud; exits with a hint when there is none. */
export function localEndpoint(service: string, flag = '--endpoint'): string {
  return (
    readEndpoints()?.[service] ??
    fail(`no ${service} endpoint in ${endpointsFile}: start the local cloud (npm start) or pass ${flag}`)
  );
}

/** A Kinesis client for the given endpoint, or the running local cloud's. */
export function localKinesis(endpoint?: string): KinesisClient {
  return new KinesisClient({
    region: LOCAL_REGION,
    endpoint: endpoint ?? localEndpoint('kinesis'),
    credentials: LOCAL_CREDENTIALS,
    requestHandler: keepAliveHandler(),
  });
}

/** The stream whose name ends in `-<logicalId>` (`refarch-dev-<logicalId>` when there are several). */
export async function findStream(client: KinesisClient, logicalId: string): Promise<string> {
  const { StreamNames = [] } = await client
    .send(new ListStreamsCommand({}))
    .catch((error: Error) => fail(`cannot list the Kinesis streams (${error.message}): is the local cloud running?`));
  const candidates = StreamNames.filter((name) => name.endsWith(`-${logicalId}`));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.includes(`refarch-dev-${logicalId}`)) return `refarch-dev-${logicalId}`;
  return fail(
    candidates.length === 0
      ? `no *-${logicalId} on the local Kinesis: is the local cloud running?`
      : `several ${logicalId} streams (${candidates.join(', ')}): pass --stream`,
  );
}

/** Prints the message (to stdout when the code is 0, e.g. for --help) and exits. */
export function fail(message: string, code = 1): never {
  (code === 0 ? console.log : console.error)(message);
  process.exit(code);
}
