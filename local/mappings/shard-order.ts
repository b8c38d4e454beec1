import type { EventSourceMappingSpec, ShardInfo, StartPosition } from './types.ts';

/**
 * Which shards to start reading now, and where. A shard starts once its parents are read to their end
 * (or are gone from the list): records of a key stay in order across splits and merges. Shards seen
 * in the first look start at the mapping's starting position; with LATEST, closed shards hold nothing
 * new and are skipped. Shards that appear later start at TRIM_HORIZON, so none of their records is missed.
 */
export function shardsToStart(
  shards: ShardInfo[],
  state: {
    running: Set<string>;
    finished: Set<string>;
    initial: boolean;
    spec: Pick<EventSourceMappingSpec, 'startingPosition' | 'startingPositionTimestamp'>;
  },
): Array<{ shard: ShardInfo; position: StartPosition | 'skip' }> {
  const listed = new Set(shards.map((shard) => shard.shardId));
  const waiting = shards.filter((shard) => !state.running.has(shard.shardId) && !state.finished.has(shard.shardId));
  if (state.initial && state.spec.startingPosition === 'LATEST') {
    return waiting.map((shard) => ({ shard, position: shard.closed ? 'skip' : { type: 'LATEST' } }));
  }
  const parentsDone = (shard: ShardInfo) =>
    shard.parentShardIds.every((id) => state.finished.has(id) || !listed.has(id));
  return waiting.filter(parentsDone).map((shard) => ({ shard, position: startPosition(state) }));
}

function startPosition(state: {
  initial: boolean;
  spec: Pick<EventSourceMappingSpec, 'startingPosition' | 'startingPositionTimestamp'>;
}): StartPosition {
  if (!state.initial || state.spec.startingPosition === 'TRIM_HORIZON') return { type: 'TRIM_HORIZON' };
  if (state.spec.startingPosition === 'AT_TIMESTAMP')
    return { type: 'AT_TIMESTAMP', timestampMs: (state.spec.startingPositionTimestamp ?? 0) * 1000 };
  return { type: 'LATEST' };
}
