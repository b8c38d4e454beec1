import { afterEach, describe, expect, it } from 'vitest';
import { BatcherFull, createRecordBatcher } from '../../../../src/adapters/kinesis-batcher.ts';
import { eventually } from '../../../support/eventually.ts';
import { gatedKinesis, kinesisClientFor } from '../../../support/kinesis-stand-ins.ts';

// The batcher holds at most its bound; beyond it put refuses at once, and room comes back as Kinesis accepts.
describe('record batcher bound', () => {
  let kinesis: Awaited<ReturnType<typeof gatedKinesis>> | undefined;
  afterEach(async () => {
    await kinesis?.close();
  });

  async function fullBatcher(maxRecords: number) {
    kinesis = await gatedKinesis();
    const client = kinesisClientFor(kinesis.endpoint);
    const batcher = createRecordBatcher('stream', { client: () => client, maxRecords, maxInFlight: 2 });
    const held = Array.from({ length: maxRecords }, (_, i) => batcher.put(Buffer.from(`r${i}`), `k${i}`));
    await eventually(() => expect(kinesis!.waiting()).toBeGreaterThan(0));
    return { batcher, held };
  }

  it('refuses a put at once with BatcherFull when it holds maxRecords, and counts the refusal', async () => {
    const { batcher, held } = await fullBatcher(5);
    await expect(batcher.put(Buffer.from('one too many'), 'k')).rejects.toBeInstanceOf(BatcherFull);
    expect(batcher.stats()).toMatchObject({ held: 5, maxHeld: 5, refused: 1 });
    kinesis!.release();
    await eventually(() => {
      kinesis!.release();
      expect(batcher.stats().held).toBe(0);
    });
    await Promise.all(held);
  });

  it('takes puts again once Kinesis has accepted what it held', async () => {
    const { batcher, held } = await fullBatcher(3);
    const drained = batcher.flush();
    await eventually(() => {
      kinesis!.release();
      expect(batcher.stats().held).toBe(0);
    });
    await Promise.all([...held, drained]);
    const next = batcher.put(Buffer.from('after drain'), 'k');
    await eventually(() => {
      kinesis!.release();
      expect(batcher.stats().held).toBe(0);
    });
    await expect(next).resolves.toBeUndefined();
    expect(batcher.stats()).toMatchObject({ maxHeld: 3, refused: 0 });
  });

  it('bounds the bytes held as well as the records', async () => {
    kinesis = await gatedKinesis();
    const client = kinesisClientFor(kinesis.endpoint);
    const batcher = createRecordBatcher('stream', { client: () => client, maxBytes: 100 });
    const first = batcher.put(Buffer.alloc(60), 'a');
    await expect(batcher.put(Buffer.alloc(60), 'b')).rejects.toBeInstanceOf(BatcherFull);
    const small = batcher.put(Buffer.alloc(40), 'c');
    expect(batcher.stats()).toMatchObject({ held: 2, heldBytes: 100, refused: 1 });
    await eventually(() => {
      kinesis!.release();
      expect(batcher.stats().held).toBe(0);
    });
    await Promise.all([first, small]);
  });
});

// Each PutRecords costs far more than a record in it: while one call is in flight, records wait for
// the next call unless enough of them pile up to be worth a call of their own.
describe('record batcher adaptive batching', () => {
  let kinesis: Awaited<ReturnType<typeof gatedKinesis>> | undefined;
  afterEach(async () => {
    await kinesis?.close();
  });

  it('starts a second call beside one in flight only once parallelAt records wait', async () => {
    kinesis = await gatedKinesis();
    const client = kinesisClientFor(kinesis.endpoint);
    const batcher = createRecordBatcher('stream', { client: () => client, maxInFlight: 4, parallelAt: 10 });
    const put = (count: number, from: number) =>
      Array.from({ length: count }, (_, i) => batcher.put(Buffer.from(`r${from + i}`), `k${from + i}`));
    const first = put(1, 0); // idle: sent at once
    await eventually(() => expect(kinesis!.waiting()).toBe(1));
    const few = put(9, 1); // below parallelAt: they wait
    expect(batcher.stats()).toMatchObject({ calls: 1, inFlight: 1 });
    const enough = put(1, 10); // the tenth waiting record: a second call
    await eventually(() => expect(kinesis!.waiting()).toBe(2));
    expect(batcher.stats()).toMatchObject({ calls: 2, sent: 11, inFlight: 2 });
    await eventually(() => {
      kinesis!.release();
      expect(batcher.stats().held).toBe(0);
    });
    await Promise.all([...first, ...few, ...enough]);
  });
});
