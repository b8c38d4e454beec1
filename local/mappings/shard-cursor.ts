import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceRecord, StartPosition, StreamSource } from './types.ts';

/** What the cursor needs of a stream: iterators, records, the shard list, and how its errors read. */
export type CursorSource = Pick<
  StreamSource,
  'listShards' | 'getIterator' | 'getRecords' | 'isExpiredIterator' | 'isTrimmed'
>;

export interface ShardCursorOptions {
  pollIntervalMs: number;
  signal: AbortSignal;
  /** A source error the cursor recovered from (or keeps retrying), for the mapping's `lastError`. */
  onError: (error: unknown) => void;
}

/**
 * A position in one shard and the records fetched from it and not yet done. The checkpoint is the front
 * of `buffered`: `take` advances it. The cursor owns iterator acquisition and its recovery — an expired
 * iterator, a position older than the shard keeps, a busy service answering without a next iterator — so
 * records come out in order, each once.
 */
export class ShardCursor {
  /** Records fetched and not yet done, in shard order. */
  readonly buffered: SourceRecord[] = [];
  #start: StartPosition;
  #iterator: string | undefined;
  #open = true;
  #lastFetched: string | undefined;
  readonly #shardId: string;
  readonly #source: CursorSource;
  readonly #options: ShardCursorOptions;

  constructor(shardId: string, start: StartPosition, source: CursorSource, options: ShardCursorOptions) {
    this.#shardId = shardId;
    this.#start = start;
    this.#source = source;
    this.#options = options;
  }

  /** False once a closed shard has been read to its end. */
  get open(): boolean {
    return this.#open;
  }

  /** Takes the starting iterator (or learns that the shard has ended). */
  async begin(): Promise<void> {
    await this.#startIterator(this.#start);
  }

  /** Removes the first `count` records: done, or given up. */
  take(count: number): SourceRecord[] {
    return this.buffered.splice(0, count);
  }

  /** How long the oldest record not yet done has waited (0 when none waits). */
  lagMs(now = Date.now()): number {
    return this.buffered.length ? Math.max(0, now - this.buffered[0]!.arrivalMs) : 0;
  }

  /**
   * One GetRecords call for up to `limit` records. A lost iterator (expired, or refused as trimmed) is renewed
   * just after the last record fetched; records at or before it are dropped, so a renewed iterator never
   * delivers twice. DynamoDB Local refuses a TRIM_HORIZON iterator read on an empty shard once the first
   * record arrives (aws/aws-sdk-java#2923); without a record fetched, reading starts again at TRIM_HORIZON.
   */
  async fetch(limit: number): Promise<void> {
    if (!this.#open) return;
    if (!this.#iterator) await this.#startIterator(this.#resumePosition());
    if (!this.#open || !this.#iterator) return;
    try {
      const { records, nextIterator } = await this.#source.getRecords(this.#shardId, this.#iterator, limit);
      const last = this.#lastFetched;
      const fresh = last ? records.filter((r) => BigInt(r.sequenceNumber) > BigInt(last)) : records;
      this.buffered.push(...fresh);
      this.#lastFetched = fresh.at(-1)?.sequenceNumber ?? last;
      this.#iterator = nextIterator;
      if (!nextIterator) await this.#endOrResume();
    } catch (error) {
      await this.#recover(error);
    }
  }

  async #recover(error: unknown): Promise<void> {
    if (this.#source.isExpiredIterator(error)) {
      this.#iterator = undefined;
    } else if (this.#source.isTrimmed(error)) {
      this.#options.onError(error);
      this.#iterator = undefined;
      if (!this.#lastFetched) this.#start = { type: 'TRIM_HORIZON' };
    } else {
      this.#options.onError(error);
      await this.#pause(1000);
    }
  }

  /** Where reading goes on after a lost iterator: just after the last record fetched. */
  #resumePosition(): StartPosition {
    return this.#lastFetched ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#lastFetched } : this.#start;
  }

  async #startIterator(position: StartPosition): Promise<void> {
    while (!this.#options.signal.aborted) {
      try {
        this.#iterator = await this.#source.getIterator(this.#shardId, position);
        if (!this.#iterator) await this.#endOrResume();
        return;
      } catch (error) {
        this.#options.onError(error);
        // The position is older than anything the shard keeps: go on from its oldest record, as Lambda does.
        if (this.#source.isTrimmed(error)) position = { type: 'TRIM_HORIZON' };
        else await this.#pause(1000);
      }
    }
  }

  /**
   * No iterator means the shard has ended — but only believe it when the stream lists the shard as
   * closed: a busy local service can answer without one, and ending an open shard would strand its
   * future records.
   */
  async #endOrResume(): Promise<void> {
    const listed = await this.#source.listShards().then(
      (shards) => shards.find((s) => s.shardId === this.#shardId),
      () => undefined,
    );
    if (!listed || listed.closed) {
      this.#open = false;
      return;
    }
    this.#iterator = undefined; // fetch asks for a new one
    await this.#pause(this.#options.pollIntervalMs);
  }

  #pause(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.#options.signal }).catch(() => undefined);
  }
}
