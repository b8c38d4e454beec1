// One load driver per pipeline: its real entry point (HTTP API, tracking server, bucket, stream) and how
// to see in its sink that an accepted input arrived. Physical names come from the stack name.
import {
  BatchGetItemCommand,
  DynamoDBClient,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { gunzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { createClient } from 'redis';
import { decodeSubscriptionData, encodeSubscriptionData } from '../../../src/domain/logging/subscription.ts';
import { waitUntil, subFor, localTokens, LOCAL_ACCOUNT, LOCAL_CREDENTIALS, LOCAL_REGION } from '@refarch/local-cloud';
import { keepAliveHandler } from '../../../src/adapters/http-handler.ts';
import { putRecordsSettled } from '../../../src/adapters/kinesis.ts';
import type { LoadDriver } from './runner.ts';

export interface LoadContext {
  endpoints: Record<string, string | undefined>;
  stackName: string;
  /** Makes this run's ids unique, so runs never see each other's data. */
  runId: string;
}

export type DriverFactory = (context: LoadContext) => LoadDriver;

export function clients(context: LoadContext) {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: keepAliveHandler() };
  return {
    dynamodb: new DynamoDBClient({ ...common, endpoint: need(context, 'dynamodb') }),
    kinesis: new KinesisClient({ ...common, endpoint: need(context, 'kinesis') }),
    s3: new S3Client({ ...common, endpoint: need(context, 's3'), forcePathStyle: true }),
  };
}

export function need(context: LoadContext, service: string): string {
  const endpoint = context.endpoints[service];
  if (!endpoint) throw new Error(`no ${service} endpoint: is the local cloud running?`);
  return endpoint;
}

/** The keys among `keys` that have an item in the table (its key attributes given by `keyOf`) that `matches`. */
export async function existing(
  dynamodb: DynamoDBClient,
  table: string,
  keys: readonly string[],
  keyOf: (key: string) => Record<string, unknown>,
  matches: (key: string, item: Record<string, unknown>) => boolean = () => true,
): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < keys.length; i += 100) {
    const wanted = new Map(keys.slice(i, i + 100).map((key) => [keyOf(key), key] as const));
    const names = Object.keys(wanted.keys().next().value ?? {});
    const byAttributes = new Map(
      [...wanted].map(([attributes, key]) => [JSON.stringify(names.map((name) => attributes[name])), key]),
    );
    let request: BatchGetItemCommandInput['RequestItems'] = {
      [table]: { Keys: [...wanted.keys()].map((attributes) => marshall(attributes)) },
    };
    while (request && Object.keys(request).length > 0) {
      const output: BatchGetItemCommandOutput = await dynamodb.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const item of (output.Responses?.[table] ?? []).map((raw) => unmarshall(raw))) {
        const key = byAttributes.get(JSON.stringify(names.map((name) => item[name])));
        if (key !== undefined && matches(key, item)) seen.add(key);
      }
      request = output.UnprocessedKeys;
    }
  }
  return seen;
}

async function statusOf(response: Response): Promise<string> {
  await response.arrayBuffer();
  return String(response.status);
}

const CANDIDATES = ['RED', 'GREEN', 'BLUE'];

/**
 * Votes: POST /votes -> VoteApp -> stream -> aggregateVotes; visible when the voter's vote is applied.
 * Counted once: the results' total grows by exactly the votes applied (nobody else votes meanwhile),
 * refused ones included: a vote answered 5xx may still have been written.
 */
export const votes: DriverFactory = (context) => {
  const { dynamodb } = clients(context);
  const candidateOf = (i: number) => CANDIDATES[i % CANDIDATES.length]!;
  const totalVotes = async () =>
    ((await (await fetch(`${need(context, 'http')}/results`)).json()) as { total: number }).total;
  const appliedVoters = `${context.stackName}-VoteAppAppliedVotes`;
  const tokenFor = localTokens(need(context, 'console'));
  const voters: string[] = [];
  let totalBefore = 0;
  return {
    name: 'votes',
    async prepare() {
      totalBefore = await totalVotes();
    },
    async send(i) {
      // Each voter is a signed-in user: the vote is stored under the token's sub.
      const user = `load-${context.runId}-${i}`;
      const voterId = subFor(user);
      voters.push(voterId);
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(user)}` };
      const response = await fetch(`${need(context, 'http')}/votes`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ candidate: candidateOf(i) }),
      });
      const status = await statusOf(response);
      return { accepted: response.ok, status, key: `${voterId} ${candidateOf(i)}` };
    },
    visible: (keys) =>
      existing(
        dynamodb,
        appliedVoters,
        keys,
        (key) => ({ VoterId: key.split(' ')[0] }),
        (key, item) => item.Candidate === key.split(' ')[1],
      ),
    duplicates: async () =>
      (await totalVotes()) -
      totalBefore -
      (await existing(dynamodb, appliedVoters, voters, (voterId) => ({ VoterId: voterId }))).size,
    marks: (key) => [`"${key.split(' ')[0]}"`],
    close: () => dynamodb.destroy(),
  };
};

/** Sensor readings: PutRecords on SensorEventStream -> storeSensorReadings -> SensorData. */
export const iot: DriverFactory = (context) => {
  const { dynamodb, kinesis } = clients(context);
  const start = Date.now() - 60_000;
  return {
    name: 'iot',
    async send(i) {
      const reading = {
        sensorId: `load-${context.runId}-${i % 20}`,
        timestamp: new Date(start + i).toISOString(),
        humidity: 40 + (i % 30),
        temperature: 20 + (i % 5),
        seq: i,
      };
      const [ok] = await putRecordsSettled(
        `${context.stackName}-SensorEventStream`,
        [{ PartitionKey: reading.sensorId, Data: Buffer.from(JSON.stringify(reading)) }],
        kinesis,
      );
      return { accepted: ok === true, status: ok ? 'put' : 'not put', key: `${reading.sensorId} ${start + i}` };
    },
    marks: (key) => [
      `"sensorId":"${key.split(' ')[0]}"`,
      `"timestamp":"${new Date(Number(key.split(' ')[1])).toISOString()}"`,
    ],
    visible: (keys) =>
      existing(dynamodb, `${context.stackName}-SensorData`, keys, (key) => ({
        SensorId: key.split(' ')[0],
        Timestamp: Number(key.split(' ')[1]),
      })),
    close: () => {
      dynamodb.destroy();
      kinesis.destroy();
    },
  };
};

/** Core data: program updates on CoreDataStream -> updateCoreData -> a Redis hash per program (and a publish). */
export const coredata: DriverFactory = (context) => {
  const { kinesis } = clients(context);
  const redis = createClient({ url: need(context, 'redis') });
  redis.on('error', () => {}); // reconnects by itself; a failed poll just finds nothing this time
  const programOf = (i: number) => `load-${context.runId}-${i}`;
  return {
    name: 'coredata',
    prepare: async () => {
      await redis.connect();
    },
    async send(i) {
      const program = {
        programId: programOf(i),
        programName: `Load program ${i}`,
        checksum: 'c0ffee',
        customerId: i,
        customerName: 'Load',
        valid: true,
        version: 1,
      };
      const [ok] = await putRecordsSettled(
        `${context.stackName}-CoreDataStream`,
        [{ PartitionKey: program.programId, Data: Buffer.from(JSON.stringify(program)) }],
        kinesis,
      );
      return { accepted: ok === true, status: ok ? 'put' : 'not put', key: program.programId };
    },
    async visible(keys) {
      const versions = await Promise.all(keys.map((key) => redis.hGet(`program:${key}`, 'version')));
      return new Set(keys.filter((_, i) => versions[i] === '1'));
    },
    marks: (key) => [`"programId":"${key}"`],
    close: () => {
      kinesis.destroy();
      redis.destroy();
    },
  };
};

/** Markdown uploads: InputBucket -> SNS -> renderHtml, renderText, extractMetadata; visible when all three exist. */
export const files: DriverFactory = (context) => {
  const { dynamodb, s3 } = clients(context);
  const input = `${context.stackName}-input-${LOCAL_ACCOUNT}-${LOCAL_REGION}`;
  const output = `${context.stackName}-output-${LOCAL_ACCOUNT}-${LOCAL_REGION}`;
  const exists = (key: string) =>
    s3.send(new HeadObjectCommand({ Bucket: output, Key: key })).then(
      () => true,
      () => false,
    );
  return {
    name: 'files',
    async send(i) {
      const key = `load/${context.runId}/doc-${i}.md`;
      await s3.send(
        new PutObjectCommand({
          Bucket: input,
          Key: key,
          Body: `# Load document ${i}\n\nParagraph with a [link](https://example.com/${i}) and *emphasis*.\n\n- item one\n- item two\n`,
          ContentType: 'text/markdown; charset=utf-8',
        }),
      );
      return { accepted: true, status: 'uploaded', key };
    },
    async visible(keys) {
      const withMetadata = await existing(dynamodb, `${context.stackName}-Documents`, keys, (key) => ({
        SourceKey: key,
      }));
      const seen = new Set<string>();
      await Promise.all(
        [...withMetadata].map(async (key) => {
          const base = key.replace(/\.md$/, '');
          if ((await exists(`html/${base}.html`)) && (await exists(`text/${base}.txt`))) seen.add(key);
        }),
      );
      return seen;
    },
    close: () => {
      dynamodb.destroy();
      s3.destroy();
    },
  };
};

/** Tracking hits: GET /event/{programId} on the tracking server -> TrackingEventStream -> TrackingEvents. */
export const tracking: DriverFactory = (context) => {
  const { dynamodb, kinesis } = clients(context);
  const programId = `load-${context.runId}`;
  const url = () => `${need(context, 'tracking')}/event/${programId}`;
  return {
    name: 'tracking',
    async prepare() {
      const program = {
        programId,
        programName: 'Load test',
        checksum: 'c0ffee',
        customerId: 7,
        customerName: 'Load',
        valid: true,
        version: 1,
      };
      await putRecordsSettled(
        `${context.stackName}-CoreDataStream`,
        [{ PartitionKey: programId, Data: Buffer.from(JSON.stringify(program)) }],
        kinesis,
      );
      await waitUntil(
        async () => (await statusOf(await fetch(url()))) === '200',
        `the tracking server to know program ${programId} (is updateCoreData running?)`,
        60_000,
      );
    },
    async send() {
      const response = await fetch(url(), { headers: { 'user-agent': 'refarch-load/1.0' } });
      if (!response.ok) return { accepted: false, status: await statusOf(response) };
      const { messageId } = (await response.json()) as { messageId: string };
      return { accepted: true, status: String(response.status), key: messageId };
    },
    visible: (keys) => existing(dynamodb, `${context.stackName}-TrackingEvents`, keys, (key) => ({ MessageId: key })),
    close: () => {
      dynamodb.destroy();
      kinesis.destroy();
    },
  };
};

/** Notes: POST /notes (signed in) -> Notes -> stream -> indexNotes; visible when search finds the note. */
export const notes: DriverFactory = (context) => {
  let auth: Record<string, string> = {};
  const user = `load-${context.runId}`;
  const termOf = (i: number) => `load${context.runId.replace(/[^a-z0-9]/gi, '')}n${i}`;
  return {
    name: 'notes',
    async prepare() {
      const response = await fetch(`${need(context, 'console')}/_local/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user }),
      });
      if (!response.ok) throw new Error(`no token for ${user}: HTTP ${response.status}`);
      auth = { authorization: `Bearer ${((await response.json()) as { token: string }).token}` };
    },
    async send(i) {
      const response = await fetch(`${need(context, 'http')}/notes`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ headline: `Load note ${i}`, text: `Searchable by ${termOf(i)} and nothing else.` }),
      });
      if (!response.ok) return { accepted: false, status: await statusOf(response) };
      await response.arrayBuffer();
      return { accepted: true, status: String(response.status), key: termOf(i) };
    },
    marks: (term) => [`${term} `],
    async visible(keys) {
      const found = await Promise.all(
        keys.slice(0, 50).map(async (term) => {
          const response = await fetch(`${need(context, 'http')}/notes/search?q=${term}`, { headers: auth });
          const body = response.ok ? ((await response.json()) as { notes: unknown[] }) : { notes: [] };
          return body.notes.length > 0 ? term : undefined;
        }),
      );
      return new Set(found.filter((term): term is string => term !== undefined));
    },
  };
};

/** Activity events: PutRecords on ActivityStream -> processActivityEvents -> EventData. */
export const activity: DriverFactory = (context) => {
  const { dynamodb, kinesis } = clients(context);
  return {
    name: 'activity',
    async send(i) {
      const event = {
        username: `load-${context.runId}-${i % 10}`,
        id: `load-${i}`,
        timestamp: new Date().toISOString(),
        message: `load event ${i}`,
      };
      const [ok] = await putRecordsSettled(
        `${context.stackName}-ActivityStream`,
        [{ PartitionKey: event.username, Data: Buffer.from(JSON.stringify(event)) }],
        kinesis,
      );
      return { accepted: ok === true, status: ok ? 'put' : 'not put', key: `${event.username} ${event.id}` };
    },
    marks: (key) => [`"username":"${key.split(' ')[0]}"`, `"id":"${key.split(' ')[1]}"`],
    visible: (keys) =>
      existing(dynamodb, `${context.stackName}-EventData`, keys, (key) => ({
        Username: key.split(' ')[0],
        Id: key.split(' ')[1],
      })),
    close: () => {
      dynamodb.destroy();
      kinesis.destroy();
    },
  };
};

/** CloudWatch Logs subscription data: LogStream -> Firehose (transformLogRecords) -> CentralLogBucket NDJSON. */
export const logging: DriverFactory = (context) => {
  const { kinesis, s3 } = clients(context);
  const logGroup = `/load/${context.runId}`;
  const delivered = new Map<string, number>(); // log event id -> lines holding it
  const read = new Set<string>();
  const bucket = `${context.stackName}-central-logs-${LOCAL_ACCOUNT}-${LOCAL_REGION}`;
  return {
    name: 'logging',
    async send(i) {
      const id = `load-${context.runId}-${i}`;
      const message = {
        messageType: 'DATA_MESSAGE',
        owner: LOCAL_ACCOUNT,
        logGroup,
        logStream: 'load',
        subscriptionFilters: ['load'],
        logEvents: [{ id, timestamp: Date.now(), message: `load log line ${i}` }],
      };
      const [ok] = await putRecordsSettled(
        `${context.stackName}-LogStream`,
        [{ PartitionKey: logGroup, Data: encodeSubscriptionData(message) }],
        kinesis,
      );
      return { accepted: ok === true, status: ok ? 'put' : 'not put', key: id };
    },
    marks: (id) => [`"id":"${id}"`],
    // A producer's retry can put a record twice (Kinesis is at-least-once for producers); the pipeline
    // must deliver each record on the stream once, so lines are compared with the copies on the stream.
    async duplicates() {
      const copies = await logEventCopies(kinesis, `${context.stackName}-LogStream`, `load-${context.runId}-`);
      return [...copies].reduce((extra, [id, onStream]) => extra + Math.max(0, (delivered.get(id) ?? 0) - onStream), 0);
    },
    async visible(keys) {
      let ContinuationToken: string | undefined;
      do {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'logs/', ContinuationToken }));
        for (const { Key } of listed.Contents ?? []) {
          if (!Key || read.has(Key)) continue;
          const body = Buffer.from(
            await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray(),
          );
          const text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
          for (const line of text.split('\n').filter(Boolean)) {
            const id = String((JSON.parse(line) as { id?: unknown }).id);
            delivered.set(id, (delivered.get(id) ?? 0) + 1);
          }
          read.add(Key);
        }
        ContinuationToken = listed.NextContinuationToken;
      } while (ContinuationToken);
      return new Set(keys.filter((key) => delivered.has(key)));
    },
    close: () => {
      kinesis.destroy();
      s3.destroy();
    },
  };
};

/** How many records on the log stream hold each log event whose id starts with `prefix`. */
async function logEventCopies(
  kinesis: KinesisClient,
  StreamName: string,
  prefix: string,
): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  for (const { ShardId } of (await kinesis.send(new ListShardsCommand({ StreamName }))).Shards ?? []) {
    let iterator = (
      await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    while (iterator) {
      const { Records = [], NextShardIterator } = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }),
      );
      for (const record of Records) {
        for (const id of logEventIds(record.Data!))
          if (id.startsWith(prefix)) copies.set(id, (copies.get(id) ?? 0) + 1);
      }
      iterator = Records.length > 0 ? NextShardIterator : undefined;
    }
  }
  return copies;
}

/** The ids of the log events in a subscription record; none for records that are not one (other tests put junk). */
function logEventIds(data: Uint8Array): string[] {
  const decoded = decodeSubscriptionData(Buffer.from(data).toString('base64'));
  return decoded.ok && decoded.value.messageType === 'DATA_MESSAGE'
    ? decoded.value.logEvents.map((event) => event.id)
    : [];
}

export const DRIVERS: Record<string, DriverFactory> = {
  votes,
  tracking,
  coredata,
  files,
  iot,
  activity,
  notes,
  logging,
};
