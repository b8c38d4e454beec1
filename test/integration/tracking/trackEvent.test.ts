import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTrackingEvent } from '../../../src/domain/tracking/tracking-event.ts';
import { eventually, localCloud } from '../../support/cloud.ts';
import { seedPrograms, uniqueProgram } from './core-support.ts';
import { streamTail } from './stream-reader.ts';

const hit = (programId: string) =>
  fetch(`${localCloud().endpoints.http}/event/${encodeURIComponent(programId)}`, {
    headers: { 'user-agent': 'integration-test/1.0' },
  });

describe('trackEvent (GET /event/{programId} on the local HTTP API)', () => {
  const valid = uniqueProgram({ programName: 'Valid program', customerId: 77 });
  const invalid = uniqueProgram({ valid: false });
  beforeAll(() => seedPrograms(valid, invalid));

  let tail: Awaited<ReturnType<typeof streamTail>>;
  beforeAll(async () => {
    tail = await streamTail('TrackingEventStream');
  });
  afterAll(() => tail?.close());

  it('answers 404 with the JSON error shape for an unknown program', async () => {
    const response = await hit(uniqueProgram().programId);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'unknown_program', message: expect.any(String) } });
  });

  it('answers 403 for a program that is not valid', async () => {
    const response = await hit(invalid.programId);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'program_invalid' } });
  });

  it("answers 200 with the hit's id and time only; the enriched event is already on the stream (partition key = messageId)", async () => {
    const response = await hit(valid.programId);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { messageId: string; timestampMs: number };
    // No customer or program data to an anonymous caller.
    expect(answer).toEqual({
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      programId: valid.programId,
      timestampMs: expect.any(Number),
    });
    // PutRecord completed before the response: the record is readable now, without waiting.
    const onStream = (await tail.records()).filter((record) => record.partitionKey === answer.messageId);
    expect(onStream.map((record) => decodeTrackingEvent(record.data))).toEqual([
      {
        programId: valid.programId,
        checksum: valid.checksum,
        customerId: 77,
        userAgent: 'integration-test/1.0',
        programName: 'Valid program',
        customerName: valid.customerName,
        isValid: true,
        messageId: answer.messageId,
        timestampMs: answer.timestampMs,
      },
    ]);
  });

  it('gives every hit its own message id', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async () => ((await (await hit(valid.programId)).json()) as { messageId: string }).messageId),
    );
    expect(new Set(ids).size).toBe(3);
    await eventually(async () =>
      expect((await tail.records()).map((record) => record.partitionKey)).toEqual(expect.arrayContaining(ids)),
    );
  });
});
