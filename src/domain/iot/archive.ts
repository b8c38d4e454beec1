import { readingJson, type SensorReading } from './reading.ts';

export interface ArchiveKeyInput {
  shardId: string;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  readingTimeMs: number;
}

/**
 * `year=YYYY/month=MM/day=DD/hour=HH/<shardId>-<first>-<last>.ndjson.gz`, the hour in UTC of the
 * reading time (Hive-style partitions, so Athena or Glue can prune by time). Derived only from the
 * records, never from the clock, so a retried batch writes the same key and overwrites its object.
 */
export function archiveKey({
  shardId,
  firstSequenceNumber,
  lastSequenceNumber,
  readingTimeMs,
}: ArchiveKeyInput): string {
  return `${hourPartition(readingTimeMs)}/${safe(shardId)}-${safe(firstSequenceNumber)}-${safe(lastSequenceNumber)}.ndjson.gz`;
}

/** `year=YYYY/month=MM/day=DD/hour=HH` of a time, in UTC. */
export function hourPartition(timeMs: number): string {
  const iso = new Date(timeMs).toISOString();
  return `year=${iso.slice(0, 4)}/month=${iso.slice(5, 7)}/day=${iso.slice(8, 10)}/hour=${iso.slice(11, 13)}`;
}

// Shard ids and sequence numbers are [A-Za-z0-9-] on Kinesis; anything else must not make a new folder.
const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]/g, '_');

export interface ArchiveRecord {
  reading: SensorReading;
  shardId: string;
  sequenceNumber: string;
}

export interface ArchiveObject {
  key: string;
  /** NDJSON lines (no trailing newline), one normalized reading each, in stream order. */
  lines: string[];
  /** The records in this object: the ones to report as failed if it cannot be written. */
  sequenceNumbers: string[];
}

/**
 * The objects of one batch: one per reading hour (and shard, as a batch comes from one shard), keyed
 * by that group's first and last sequence number in stream order. Every record is in exactly one object.
 */
export function archiveObjects(records: readonly ArchiveRecord[]): ArchiveObject[] {
  const groups = new Map<string, ArchiveRecord[]>();
  for (const record of records) {
    const group = `${record.shardId}\u0000${hourPartition(record.reading.timestampMs)}`;
    const members = groups.get(group);
    if (members) members.push(record);
    else groups.set(group, [record]);
  }
  return [...groups.values()].map((members) => ({
    key: archiveKey({
      shardId: members[0]!.shardId,
      firstSequenceNumber: members[0]!.sequenceNumber,
      lastSequenceNumber: members.at(-1)!.sequenceNumber,
      readingTimeMs: members[0]!.reading.timestampMs,
    }),
    lines: members.map(({ reading }) => JSON.stringify(readingJson(reading))),
    sequenceNumbers: members.map(({ sequenceNumber }) => sequenceNumber),
  }));
}
