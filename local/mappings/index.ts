import { setTimeout as sleep } from 'node:timers/promises';
import { readShard, type MappingCounters, type ShardReader } from './shard-reader.ts';
import { dynamodbSource } from './sources/dynamodb.ts';
import { kinesisSource } from './sources/kinesis.ts';
import { shardsToStart } from './shard-order.ts';
import type { EventSourceMappingSpec, MappingDeps, MappingStats, RunningMapping, StreamSource } from './types.ts';

export type { EventSourceMappingSpec, MappingDeps, MappingStats, RunningMapping, ShardInfo, SourceRecord, StartPosition, StreamSource } from './types.ts';

/**
 * Runs one event source mapping on a Kinesis or DynamoDB stream, as Lambda's pollers do: every shard
 * read in order with one batch in flight, parents before children, new shards found as they appear.
 */
export function startMapping(spec: EventSourceMappingSpec, deps: MappingDeps): RunningMapping {
  const fn = deps.runtime.describe(spec.functionName);
  if (!fn) throw new Error(`event source mapping ${spec.id}: no function ${spec.functionName}`);
  const counters: MappingCounters = { batches: 0, records: 0, failures: 0, discarded: 0, lastProcessingResult: 'No records processed' };
  const readers = new Map<string, ShardReader>();
  const finished = new Set<string>();
  const stopping = new AbortController();
  let state: MappingStats['state'] = spec.enabled ? 'Enabled' : 'Disabled';
  let wake: () => void = () => {};

  const stats = (): MappingStats => ({
    id: spec.id, functionName: spec.functionName, kind: spec.kind, sourceArn: spec.sourceArn, state,
    shards: readers.size, finishedShards: finished.size,
    batches: counters.batches, records: counters.records, failures: counters.failures, discarded: counters.discarded,
    lagMs: Math.max(0, ...[...readers.values()].map((reader) => reader.lagMs())),
    lastProcessingResult: counters.lastProcessingResult,
    ...(counters.lastError ? { lastError: counters.lastError } : {}),
  });
  if (!spec.enabled) return { stats, ready: () => Promise.resolve(), stop: async () => {} };

  const region = fn.arn.split(':')[3] ?? 'us-east-1';
  const source = sourceFor(spec, deps, region, fn.roleArn ?? defaultRoleArn(fn.arn, fn.physicalName, region));
  const pollIntervalMs = deps.pollIntervalMs ?? 200;

  /** One look at the shard list: starts every shard whose parents are done. */
  const discover = async (initial: boolean): Promise<ShardReader[]> => {
    const shards = await source.listShards();
    const started: ShardReader[] = [];
    for (const { shard, position } of shardsToStart(shards, { running: new Set(readers.keys()), finished, initial, spec })) {
      if (position === 'skip') { finished.add(shard.shardId); continue; }
      const reader = readShard(shard.shardId, position, {
        spec, source, runtime: deps.runtime, functionArn: fn.arn, sendToDestination: deps.sendToDestination,
        counters, pollIntervalMs, signal: stopping.signal,
      });
      readers.set(shard.shardId, reader);
      started.push(reader);
      void reader.done.then((end) => {
        if (end !== 'finished') return;
        readers.delete(shard.shardId);
        finished.add(shard.shardId);
        wake();   // its children may start now
      }, (error: Error) => { counters.lastError = `${shard.shardId}: ${error.message}`; });
    }
    return started;
  };

  const firstLook = (async () => {
    for (;;) {
      try {
        await Promise.all((await discover(true)).map((reader) => reader.ready));
        return;
      } catch (error) {
        counters.lastError = `listing shards of ${spec.sourceArn}: ${(error as Error).message}`;
        if (stopping.signal.aborted) return;
        await sleep(1000, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  })();

  const discovery = (async () => {
    await firstLook;
    while (!stopping.signal.aborted) {
      await Promise.race([
        sleep(deps.discoveryIntervalMs ?? 1000, undefined, { signal: stopping.signal }).catch(() => undefined),
        new Promise<void>((resolve) => { wake = resolve; }),
      ]);
      if (stopping.signal.aborted) break;
      await discover(false).catch((error: Error) => { counters.lastError = `listing shards of ${spec.sourceArn}: ${error.message}`; });
    }
  })();

  return {
    stats,
    ready: () => firstLook,
    async stop() {
      state = 'Stopped';
      stopping.abort();
      await discovery;
      await Promise.allSettled([...readers.values()].map((reader) => reader.done));
    },
  };
}

function sourceFor(spec: EventSourceMappingSpec, deps: MappingDeps, region: string, invokeIdentityArn: string): StreamSource {
  if (spec.kind === 'kinesis') {
    if (!deps.clients.kinesis) throw new Error(`event source mapping ${spec.id} reads Kinesis but got no Kinesis client`);
    return kinesisSource(deps.clients.kinesis, { streamArn: spec.sourceArn, region, invokeIdentityArn });
  }
  if (!deps.clients.dynamodbStreams) throw new Error(`event source mapping ${spec.id} reads a DynamoDB stream but got no DynamoDB Streams client`);
  if (spec.startingPosition === 'AT_TIMESTAMP') throw new Error(`event source mapping ${spec.id}: DynamoDB streams do not support AT_TIMESTAMP`);
  return dynamodbSource(deps.clients.dynamodbStreams, { streamArn: spec.sourceArn, region });
}

/** The role serverless-iam-roles-per-function creates: <service>-<stage>-<function>-<region>-lambdaRole. */
function defaultRoleArn(functionArn: string, physicalName: string, region: string): string {
  const account = functionArn.split(':')[4] ?? '000000000000';
  return `arn:aws:iam::${account}:role/${`${physicalName}-${region}-lambdaRole`.slice(0, 64)}`;
}
