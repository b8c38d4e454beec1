import { describe, expect, it } from 'vitest';
import { LIMITS, validateTrackingEvent, withArrivalTime } from '../../../../src/domain/tracking/tracking-event.ts';
import { sampleEvent } from './sample.ts';

describe('validateTrackingEvent', () => {
  it('accepts a complete event', () => {
    expect(validateTrackingEvent(sampleEvent())).toEqual({ ok: true, value: sampleEvent() });
  });

  it('accepts fields at their size limits', () => {
    const atLimits = Object.fromEntries(Object.entries(LIMITS).map(([field, limit]) => [field, 'x'.repeat(limit)]));
    expect(validateTrackingEvent(sampleEvent(atLimits))).toEqual({ ok: true, value: sampleEvent(atLimits) });
  });

  it.each([
    [{ messageId: '' }, 'messageId is missing'],
    [{ programId: '' }, 'programId is missing'],
    [{ messageId: 'm'.repeat(LIMITS.messageId + 1) }, `messageId is longer than ${LIMITS.messageId} characters`],
    [{ userAgent: 'u'.repeat(LIMITS.userAgent + 1) }, `userAgent is longer than ${LIMITS.userAgent} characters`],
    [{ customerName: 'c'.repeat(LIMITS.customerName + 1) }, `customerName is longer than ${LIMITS.customerName} characters`],
    [{ timestampMs: 0 }, 'timestampMs is missing or not a positive integer'],
    [{ timestampMs: 2 ** 60 }, 'timestampMs is missing or not a positive integer'],
    [{ customerId: -1 }, 'customerId is negative'],
  ])('rejects %o', (overrides, reason) => {
    expect(validateTrackingEvent(sampleEvent(overrides))).toEqual({ ok: false, reason });
  });
});

describe('withArrivalTime', () => {
  it("gives an event without timestamp_ms (decoded as 0) the record's arrival time, and keeps a producer's own time", () => {
    const event = { programId: 'p', checksum: '', customerId: 1, userAgent: '', programName: '', customerName: '', isValid: true, messageId: 'm', timestampMs: 0 };
    expect(withArrivalTime(event, 1_795_342_531_250).timestampMs).toBe(1_795_342_531_250);
    expect(withArrivalTime({ ...event, timestampMs: 1_700_000_000_000 }, 1_795_342_531_250).timestampMs).toBe(1_700_000_000_000);
  });
});
