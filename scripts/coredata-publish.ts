// `npm run coredata:publish -- <programs.json> [--endpoint URL] [--stream NAME]`
// Puts each program of a JSON array on CoreDataStream (partition key programId) of the running local
// cloud: the Kinesis endpoint comes from .local/endpoints.json, the stream is found by its name.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { keepAliveHandler } from '../src/adapters/http-handler.ts';
import { putRecords } from '../src/adapters/kinesis.ts';
import { parseCoreData } from '../src/domain/tracking/core-data.ts';
import type { CoreData } from '../src/domain/tracking/core-data.ts';
import { LOCAL_CREDENTIALS } from '../local/services/types.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { endpoint: { type: 'string' }, stream: { type: 'string' } } });
const file = positionals[0];
if (!file) fail('usage: npm run coredata:publish -- <programs.json> [--endpoint URL] [--stream NAME]');

const programs = readPrograms(resolve(file));
const kinesis = new KinesisClient({ region: 'us-east-1', endpoint: values.endpoint ?? localKinesisEndpoint(), credentials: LOCAL_CREDENTIALS, requestHandler: keepAliveHandler() });
const stream = values.stream ?? await findCoreDataStream(kinesis);
await putRecords(stream, programs.map((program) => ({ PartitionKey: program.programId, Data: Buffer.from(JSON.stringify(program)) })), kinesis);
for (const program of programs) console.log(`sent ${program.programId} v${program.version} (valid=${program.valid})`);
console.log(`${programs.length} program(s) put on ${stream}`);
kinesis.destroy();

function readPrograms(path: string): CoreData[] {
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(json)) fail(`${path}: expected a JSON array of programs`);
  return json.map((entry, index) => {
    const parsed = parseCoreData(entry);
    if (!parsed.ok) fail(`${path}: program ${index}: ${parsed.reason}`);
    return parsed.value;
  });
}

function localKinesisEndpoint(): string {
  const endpointsFile = join(resolve(import.meta.dirname, '..'), '.local', 'endpoints.json');
  try {
    const endpoint = (JSON.parse(readFileSync(endpointsFile, 'utf8')) as { kinesis?: string }).kinesis;
    if (endpoint) return endpoint;
  } catch { /* reported below */ }
  return fail(`no Kinesis endpoint in ${endpointsFile}: start the local cloud (npm start) or pass --endpoint`);
}

/** The stream whose name ends in -CoreDataStream (refarch-dev-CoreDataStream when there are several). */
async function findCoreDataStream(client: KinesisClient): Promise<string> {
  const { StreamNames = [] } = await client.send(new ListStreamsCommand({}));
  const candidates = StreamNames.filter((name) => name.endsWith('-CoreDataStream'));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.includes('refarch-dev-CoreDataStream')) return 'refarch-dev-CoreDataStream';
  return fail(candidates.length === 0 ? 'no *-CoreDataStream on the local Kinesis' : `several core-data streams (${candidates.join(', ')}): pass --stream`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
