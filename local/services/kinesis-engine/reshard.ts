import { KinesisError, invalid } from './errors.ts';
import type { Input, Operation } from './api.ts';
import type { Shard, Stream, StreamStore } from './streams.ts';

/** A shard that still takes records: only those can be split or merged. */
function openShard(store: StreamStore, stream: Stream, shardId: unknown): Shard {
  const shard = store.shard(stream, shardId);
  if (shard.endingSeq !== undefined) throw new KinesisError('ResourceInUseException', `Shard ${shard.id} is closed.`);
  return shard;
}

/** Closes parents and adds their children, which start at the next sequence number (done at once: the stream stays ACTIVE). */
function replace(
  store: StreamStore,
  stream: Stream,
  parents: Shard[],
  ranges: Array<{ start: bigint; end: bigint }>,
): void {
  for (const parent of parents) parent.endingSeq = store.peekSequence() - 1n;
  const ids = parents.map((parent) => parent.id);
  for (const { start, end } of ranges) {
    stream.shards.push(store.newShard(stream.shards.length, start, end, ids));
  }
}

export const reshardHandlers: Record<string, Operation> = {
  SplitShard: (store, input: Input) => {
    const stream = store.get(input);
    const parent = openShard(store, stream, input.ShardToSplit);
    const at =
      typeof input.NewStartingHashKey === 'string' && /^\d{1,39}$/.test(input.NewStartingHashKey)
        ? BigInt(input.NewStartingHashKey)
        : -1n;
    if (at <= parent.startHash || at > parent.endHash)
      throw invalid(`NewStartingHashKey must be inside shard ${parent.id}'s range and above its start.`);
    replace(
      store,
      stream,
      [parent],
      [
        { start: parent.startHash, end: at - 1n },
        { start: at, end: parent.endHash },
      ],
    );
    return {};
  },
  MergeShards: (store, input: Input) => {
    const stream = store.get(input);
    const [first, second] = [
      openShard(store, stream, input.ShardToMerge),
      openShard(store, stream, input.AdjacentShardToMerge),
    ];
    const [low, high] = first.startHash < second.startHash ? [first, second] : [second, first];
    if (low.endHash + 1n !== high.startHash) throw invalid(`Shards ${first.id} and ${second.id} are not adjacent.`);
    replace(store, stream, [first, second], [{ start: low.startHash, end: high.endHash }]);
    return {};
  },
};
