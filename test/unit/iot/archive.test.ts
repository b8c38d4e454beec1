import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { archiveKey, archiveObjects, type ArchiveRecord } from '../../../src/domain/iot/archive.ts';
import type { SensorReading } from '../../../src/domain/iot/reading.ts';

const reading = (timestamp: string, seq: number, sensorId = 'sensor-1'): SensorReading => ({
  sensorId,
  timestampMs: Date.parse(timestamp),
  timestamp: new Date(timestamp).toISOString(),
  humidity: 40,
  seq,
});
const shardId = 'shardId-000000000001';
const sequence = (n: number) => `4962${String(n).padStart(52, '0')}`;

describe('archiveKey', () => {
  it('partitions by the UTC hour of the reading time and names the shard and sequence range', () => {
    expect(
      archiveKey({
        shardId,
        firstSequenceNumber: '100',
        lastSequenceNumber: '200',
        readingTimeMs: Date.parse('2026-03-04T05:59:59.999+00:00'),
      }),
    ).toBe('year=2026/month=03/day=04/hour=05/shardId-000000000001-100-200.ndjson.gz');
    expect(
      archiveKey({
        shardId,
        firstSequenceNumber: '1',
        lastSequenceNumber: '1',
        readingTimeMs: Date.parse('2026-12-31T23:30:00-01:00'),
      }),
    ).toBe('year=2027/month=01/day=01/hour=00/shardId-000000000001-1-1.ndjson.gz');
  });

  it('cannot be steered into another folder by odd characters', () => {
    expect(archiveKey({ shardId: '../x/y', firstSequenceNumber: '1', lastSequenceNumber: '2', readingTimeMs: 0 })).toBe(
      'year=1970/month=01/day=01/hour=00/___x_y-1-2.ndjson.gz',
    );
  });
});

describe('archiveObjects', () => {
  it('splits a batch by reading hour, keeps stream order, and keys each object by its own sequence range', () => {
    const records: ArchiveRecord[] = [
      { reading: reading('2026-03-04T05:58:00Z', 1), shardId, sequenceNumber: sequence(1) },
      { reading: reading('2026-03-04T06:00:10Z', 2), shardId, sequenceNumber: sequence(2) },
      { reading: reading('2026-03-04T05:59:30Z', 3, 'sensor-2'), shardId, sequenceNumber: sequence(3) },
    ];
    expect(archiveObjects(records)).toEqual([
      {
        key: `year=2026/month=03/day=04/hour=05/${shardId}-${sequence(1)}-${sequence(3)}.ndjson.gz`,
        lines: [
          '{"sensorId":"sensor-1","timestamp":"2026-03-04T05:58:00.000Z","humidity":40,"seq":1}',
          '{"sensorId":"sensor-2","timestamp":"2026-03-04T05:59:30.000Z","humidity":40,"seq":3}',
        ],
        sequenceNumbers: [sequence(1), sequence(3)],
      },
      {
        key: `year=2026/month=03/day=04/hour=06/${shardId}-${sequence(2)}-${sequence(2)}.ndjson.gz`,
        lines: ['{"sensorId":"sensor-1","timestamp":"2026-03-04T06:00:10.000Z","humidity":40,"seq":2}'],
        sequenceNumbers: [sequence(2)],
      },
    ]);
  });

  it('makes no object of an empty batch', () => {
    expect(archiveObjects([])).toEqual([]);
  });

  const batches = fc
    .array(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 0, 1, 6) }), { maxLength: 60 })
    .map((times) =>
      times.map((timeMs, i): ArchiveRecord => ({
        reading: {
          sensorId: `s${i % 3}`,
          timestampMs: timeMs,
          timestamp: new Date(timeMs).toISOString(),
          temperature: 20,
          seq: i,
        },
        shardId,
        sequenceNumber: sequence(i),
      })),
    );

  it('gives a retried batch the same keys and bytes (the retry overwrites, nothing is duplicated)', () => {
    fc.assert(
      fc.property(batches, (records) => {
        const retried = structuredClone(records);
        expect(archiveObjects(retried)).toEqual(archiveObjects(records));
      }),
    );
  });

  it('puts every record in exactly one object, of its own hour, in stream order, with distinct keys', () => {
    fc.assert(
      fc.property(batches, (records) => {
        const objects = archiveObjects(records);
        const placed = objects.flatMap((object) => object.sequenceNumbers);
        expect([...placed].sort()).toEqual(records.map((r) => r.sequenceNumber).sort());
        expect(new Set(objects.map((o) => o.key)).size).toBe(objects.length);
        for (const object of objects) {
          expect([...object.sequenceNumbers].sort()).toEqual(object.sequenceNumbers);
          const hour = object.key.slice(0, object.key.lastIndexOf('/'));
          object.lines.forEach((line, i) => {
            const { timestamp, seq } = JSON.parse(line) as { timestamp: string; seq: number };
            expect(hour).toBe(
              `year=${timestamp.slice(0, 4)}/month=${timestamp.slice(5, 7)}/day=${timestamp.slice(8, 10)}/hour=${timestamp.slice(11, 13)}`,
            );
            expect(sequence(seq)).toBe(object.sequenceNumbers[i]);
          });
        }
      }),
    );
  });
});
