import { KinesisError, invalid, notFound } from './errors.ts';
import { evenRanges } from './hash.ts';

export interface StoredRecord {
  seq: bigint;
  data: Buffer;
  partitionKey: string;
  arrivalMs: number;
}

export interface Shard {
  id: string;
  startHash: bigint;
  endHash: bigint;
  parentId?: string;
  adjacentParentId?: string;
  startingSeq: bigint;
  /** Set when the shard was split or merged: it takes no more records. */
  endingSeq?: bigint;
  /** In sequence-number order; trimmed from the front past the retention period. */
  records: StoredRecord[];
  /** Writes in the current second, for the optional per-shard write limits. */
  window: { second: number; records: number; bytes: number };
}

export interface Stream {
  name: string;
  arn: string;
  mode: 'PROVISIONED' | 'ON_DEMAND';
  createdMs: number;
  retentionHours: number;
  encryption?: { type: 'KMS'; keyId: string };
  tags: Map<string, string>;
  shards: Shard[];
}

export interface EngineOptions {
  region: string;
  account: string;
  now?: () => number;
  /** Enforce Kinesis's per-shard write limits (1,000 records/s and 1 MiB/s): off unless asked for. */
  shardLimits?: boolean;
}

/** Sequence numbers: one counter for the engine, so they increase per shard (and are unique), 56 digits as in Kinesis. */
const SEQUENCE_BASE = 49_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;
/** Shards of an on-demand stream created locally (Kinesis starts one with four): per-shard order is exercised. */
const ON_DEMAND_SHARDS = 4;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/** The streams of the local account and region, and the counter their records are numbered from. */
export class StreamStore {
  readonly streams = new Map<string, Stream>();
  readonly now: () => number;
  readonly shardLimits: boolean;
  private counter = 0n;
  private readonly options: EngineOptions;

  constructor(options: EngineOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.shardLimits = options.shardLimits ?? false;
  }

  nextSequence(): bigint {
    this.counter += 1n;
    return SEQUENCE_BASE + this.counter;
  }

  /** The next sequence number to be given, without taking it: where a new or closed shard starts or ends. */
  peekSequence(): bigint {
    return SEQUENCE_BASE + this.counter + 1n;
  }

  create(name: string, shardCount: number | undefined, mode: Stream['mode'] = 'PROVISIONED'): Stream {
    if (!STREAM_NAME.test(name))
      throw invalid(`StreamName ${JSON.stringify(name)} must be 1-128 characters of a-z, A-Z, 0-9, _ . -`);
    if (this.streams.has(name))
      throw new KinesisError(
        'ResourceInUseException',
        `Stream ${name} under account ${this.options.account} already exists.`,
      );
    const count = shardCount ?? (mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : 0);
    if (!Number.isInteger(count) || count < 1 || count > 1000)
      throw invalid('ShardCount must be an integer from 1 to 1000.');
    const stream: Stream = {
      name,
      mode,
      createdMs: this.now(),
      retentionHours: 24,
      tags: new Map(),
      arn: `arn:aws:kinesis:${this.options.region}:${this.options.account}:stream/${name}`,
      shards: evenRanges(count).map(({ start, end }, index) => this.newShard(index, start, end)),
    };
    this.streams.set(name, stream);
    return stream;
  }

  newShard(index: number, startHash: bigint, endHash: bigint, parents: string[] = []): Shard {
    return {
      id: `shardId-${String(index).padStart(12, '0')}`,
      startHash,
      endHash,
      parentId: parents[0],
      adjacentParentId: parents[1],
      startingSeq: this.peekSequence(),
      records: [],
      window: { second: 0, records: 0, bytes: 0 },
    };
  }

  /** A stream by `StreamName` or `StreamARN` (the API takes either). */
  get(input: { StreamName?: unknown; StreamARN?: unknown }): Stream {
    const name =
      typeof input.StreamName === 'string'
        ? input.StreamName
        : typeof input.StreamARN === 'string'
          ? (input.StreamARN.split('/').pop() ?? '')
          : undefined;
    if (name === undefined) throw invalid('StreamName or StreamARN is required.');
    const stream = this.streams.get(name);
    if (!stream) throw notFound(`Stream ${name} under account ${this.options.account}`);
    return stream;
  }

  shard(stream: Stream, shardId: unknown): Shard {
    const shard = stream.shards.find((s) => s.id === shardId);
    if (!shard)
      throw notFound(`Shard ${String(shardId)} in stream ${stream.name} under account ${this.options.account}`);
    return shard;
  }

  /** Drops records older than the stream's retention period (lazily, when the shard is written or read). */
  trim(stream: Stream, shard: Shard): void {
    const horizon = this.now() - stream.retentionHours * 3_600_000;
    let drop = 0;
    while (drop < shard.records.length && shard.records[drop]!.arrivalMs < horizon) drop += 1;
    if (drop > 0) shard.records.splice(0, drop);
  }
}
