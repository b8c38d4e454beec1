import { setTimeout as sleep } from 'node:timers/promises';
import { readShard, type MappingCounters, type ShardReader } from './shard-reader.ts';
import { dynamodbSource } from './sources/dynamodb.ts';
import { kinesisSource } from './sources/kinesis.ts';
import { shardsToStart } from './shard-order.ts';
import type { EventSourceMappingSpec, MappingDeps, MappingStats, RunningMapping, StreamSource } from './types.ts';

export type {
  EventSourceMappingSpec,
  MappingDeps,
  MappingStats,
  RunningMapping,
  ShardInfo,
  SourceRecord,
  StartPosition,
  StreamSource,
} from './types.ts';

/**
 * Runs one event source mapping on a Kinesis or DynamoDB stream, as Lambda's pollers do: every shard
 * read in order with one batch in flight, parents before children, new shards found as they appear.
 */
export function startMapping(spec: EventSourceMappingSpec, deps: MappingDeps): RunningMapping {
  const fn = deps.runtime.describe(spec.functionName);
  if (!fn) throw new Error(`event source mapping ${spec.id}: no function ${spec.functionName}`);
  const counters: MappingCounters = {
    batches: 0,
    records: 0,
    failures: 0,
    discarded: 0,
    lastProcessingResult: 'No records processed',
  };
  const shards: Shards = { readers: new Map(), finished: new Set() };
  let state: MappingStats['state'] = spec.enabled ? 'Enabled' : 'Disabled';
  const stats = () => mappingStats(spec, state, shards, counters);
  if (!spec.enabled) return { stats, ready: () => Promise.resolve(), stop: async () => {} };

  const poller = startPolling(spec, deps, fn, counters, shards);
  return {
    stats,
    ready: () => poller.firstLook,
    async stop() {
      state = 'Stopped';
      await poller.stop();
    },
  };
}

/** The shards being read, and those read to their end (their children may start). */
interface Shards {
  readers: Map<string, ShardReader>;
  finished: Set<string>;
}

function mappingStats(
  spec: EventSourceMappingSpec,
  state: MappingStats['state'],
  { readers, finished }: Shards,
  counters: MappingCounters,
): MappingStats {
  return {
    id: spec.id,
    functionName: spec.functionName,
    kind: spec.kind,
    sourceArn: spec.sourceArn,
    state,
    shards: readers.size,
    finishedShards: finished.size,
    batches: counters.batches,
    records: counters.records,
    failures: counters.failures,
    discarded: counters.discarded,
    lagMs: Math.max(0, ...[...readers.values()].map((reader) => reader.lagMs())),
    lastProcessingResult: counters.lastProcessingResult,
    ...(counters.lastError ? { lastError: counters.lastError } : {}),
  };
}

type Described = NonNullable<ReturnType<MappingDeps['runtime']['describe']>>;

/** Finds the shards (first look, then every `discoveryIntervalMs` or when a shard ends) and starts a reader for each. */
function startPolling(
  spec: EventSourceMappingSpec,
  deps: MappingDeps,
  fn: Described,
  counters: MappingCounters,
  { readers, finished }: Shards,
) {
  const region = fn.arn.split(':')[3] ?? 'us-east-1';
  const source = sourceFor(spec, deps, region, fn.roleArn ?? defaultRoleArn(fn.arn, fn.physicalName, region));
  const stopping = new AbortController();
  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  const listingFailed = (error: Error) => {
    counters.lastError = `listing shards of ${spec.sourceArn}: ${error.message}`;
  };
  let wake: () => void = () => {};

  const start = (shardId: string, position: StartAt): ShardReader =>
    startShardReader(shardId, position, {
      spec,
      source,
      deps,
      fn,
      counters,
      shards: { readers, finished },
      signal: stopping.signal,
      wake: () => wake(),
    });
  /** One look at the shard list: starts every shard whose parents are done. */
  const discover = async (initial: boolean): Promise<ShardReader[]> => {
    const toStart = shardsToStart(await source.listShards(), {
      running: new Set(readers.keys()),
      finished,
      initial,
      spec,
    });
    for (const { shard } of toStart.filter(({ position }) => position === 'skip')) finished.add(shard.shardId);
    return toStart.flatMap(({ shard, position }) => (position === 'skip' ? [] : [start(shard.shardId, position)]));
  };

  const firstLook = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await Promise.all((await discover(true)).map((reader) => reader.ready));
        return;
      } catch (error) {
        listingFailed(error as Error);
        await pause(1000);
      }
    }
  })();
  const discovery = (async () => {
    await firstLook;
    while (!stopping.signal.aborted) {
      await Promise.race([
        pause(deps.discoveryIntervalMs ?? 1000),
        new Promise<void>((resolve) => {
          wake = resolve;
        }),
      ]);
      if (!stopping.signal.aborted) await discover(false).catch(listingFailed);
    }
  })();

  return {
    firstLook,
    async stop() {
      stopping.abort();
      await discovery;
      await Promise.allSettled([...readers.values()].map((reader) => reader.done));
    },
  };
}

type StartAt = Exclude<ReturnType<typeof shardsToStart>[number]['position'], 'skip'>;

/** Reads one shard until its end (then its children may start: `wake`) or until the mapping stops. */
function startShardReader(
  shardId: string,
  position: StartAt,
  context: {
    spec: EventSourceMappingSpec;
    source: StreamSource;
    deps: MappingDeps;
    fn: Described;
    counters: MappingCounters;
    shards: Shards;
    signal: AbortSignal;
    wake: () => void;
  },
): ShardReader {
  const { spec, source, deps, fn, counters, shards, signal } = context;
  const reader = readShard(shardId, position, {
    ...{ spec, source, runtime: deps.runtime, functionArn: fn.arn, sendToDestination: deps.sendToDestination },
    ...{ counters, pollIntervalMs: deps.pollIntervalMs ?? 200, signal },
  });
  shards.readers.set(shardId, reader);
  void reader.done.then(
    (end) => {
      if (end !== 'finished') return;
      shards.readers.delete(shardId);
      shards.finished.add(shardId);
      context.wake();
    },
    (error: Error) => {
      counters.lastError = `${shardId}: ${error.message}`;
    },
  );
  return reader;
}

function sourceFor(
  spec: EventSourceMappingSpec,
  deps: MappingDeps,
  region: string,
  invokeIdentityArn: string,
): StreamSource {
  if (spec.kind === 'kinesis') {
    if (!deps.clients.kinesis)
      throw new Error(`event source mapping ${spec.id} reads Kinesis but got no Kinesis client`);
    return kinesisSource(deps.clients.kinesis, { streamArn: spec.sourceArn, region, invokeIdentityArn });
  }
  if (!deps.clients.dynamodbStreams)
    throw new Error(`event source mapping ${spec.id} reads a DynamoDB stream but got no DynamoDB Streams client`);
  if (spec.startingPosition === 'AT_TIMESTAMP')
    throw new Error(`event source mapping ${spec.id}: DynamoDB streams do not support AT_TIMESTAMP`);
  return dynamodbSource(deps.clients.dynamodbStreams, { streamArn: spec.sourceArn, region });
}

/** The role serverless-iam-roles-per-function creates: <service>-<stage>-<function>-<region>-lambdaRole. */
function defaultRoleArn(functionArn: string, physicalName: string, region: string): string {
  const account = functionArn.split(':')[4] ?? '000000000000';
  return `arn:aws:iam::${account}:role/${`${physicalName}-${region}-lambdaRole`.slice(0, 64)}`;
}
