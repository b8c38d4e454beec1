// `npm run coredata:publish -- <programs.json> [--endpoint URL] [--stream NAME]`
// Puts each program of a JSON array on CoreDataStream (partition key programId) of the running local
// cloud: the Kinesis endpoint comes from .local/endpoints.json, the stream is found by its name.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { putRecords } from '../src/adapters/kinesis.ts';
import { parseCoreData } from '../src/domain/tracking/core-data.ts';
import type { CoreData } from '../src/domain/tracking/core-data.ts';
import { fail, findStream, localKinesis } from './lib/local-cloud.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { endpoint: { type: 'string' }, stream: { type: 'string' } },
});
const file = positionals[0];
if (!file) fail('usage: npm run coredata:publish -- <programs.json> [--endpoint URL] [--stream NAME]');

const programs = readPrograms(resolve(file));
const kinesis = localKinesis(values.endpoint);
const stream = values.stream ?? (await findStream(kinesis, 'CoreDataStream'));
await putRecords(
  stream,
  programs.map((program) => ({ PartitionKey: program.programId, Data: Buffer.from(JSON.stringify(program)) })),
  kinesis,
);
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
