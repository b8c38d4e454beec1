import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTrackingEvent, encodeTrackingEvent, enrichHit, hitAnswer, LIMITS, toItem } from '../../../../src/domain/tracking/tracking-event.ts';
import type { TrackingEvent } from '../../../../src/domain/tracking/tracking-event.ts';
import { sampleEvent } from './sample.ts';

const event = sampleEvent();

/** A length-delimited field on the wire: tag, length, bytes. */
function stringField(fieldNumber: number, value: string): Uint8Array {
  const bytes = new TextEncoder().encode(value);
  return Uint8Array.from([(fieldNumber << 3) | 2, bytes.length, ...bytes]);
}

describe('TrackingEvent protobuf codec', () => {
  it('round-trips an event', () => {
    expect(decodeTrackingEvent(encodeTrackingEvent(event))).toEqual(event);
  });

  it('round-trips any event the schema can carry', () => {
    const arbitraryEvent: fc.Arbitrary<TrackingEvent> = fc.record({
      programId: fc.string(), checksum: fc.string(), customerId: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      userAgent: fc.string(), programName: fc.string({ unit: 'grapheme' }), customerName: fc.string({ unit: 'grapheme' }),
      isValid: fc.boolean(), messageId: fc.uuid(), timestampMs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    });
    fc.assert(fc.property(arbitraryEvent, (value) => {
      expect(decodeTrackingEvent(encodeTrackingEvent(value))).toEqual(value);
    }));
  });

  it('keeps the field numbers of the existing producers (1-8) and timestamp_ms = 9', () => {
    const one = (field: Partial<TrackingEvent>) => [...encodeTrackingEvent({ ...blank(), ...field })];
    expect(one({ programId: 'p' })).toEqual([0x0a, 1, 0x70]);
    expect(one({ checksum: 'c' })).toEqual([0x12, 1, 0x63]);
    expect(one({ customerId: 5 })).toEqual([0x18, 5]);
    expect(one({ userAgent: 'u' })).toEqual([0x22, 1, 0x75]);
    expect(one({ programName: 'n' })).toEqual([0x2a, 1, 0x6e]);
    expect(one({ customerName: 'm' })).toEqual([0x32, 1, 0x6d]);
    expect(one({ isValid: true })).toEqual([0x38, 1]);
    expect(one({ messageId: 'i' })).toEqual([0x42, 1, 0x69]);
    expect(one({ timestampMs: 1 })).toEqual([0x48, 1]);
  });

  it('decodes bytes from a producer that knows more fields (an extra field 15), ignoring them', () => {
    const encoded = encodeTrackingEvent(event);
    const withExtras = Uint8Array.from([...encoded, ...stringField(15, 'from the future'), 0x78, 0x2a]);
    expect(decodeTrackingEvent(withExtras)).toEqual(event);
  });

  it('decodes a message from a producer without timestamp_ms (field 9) with the proto3 default', () => {
    expect(decodeTrackingEvent(encodeTrackingEvent({ ...event, timestampMs: 0 })).timestampMs).toBe(0);
  });

  it.each([
    ['an invalid wire type', Uint8Array.from([0x0f])],
    ['a truncated message', encodeTrackingEvent(event).slice(0, 20)],
    ['a length beyond the end', Uint8Array.from([0x42, 0x7f, 0x61])],
    ['a string field that is not UTF-8', Uint8Array.from([0x42, 0x02, 0xc3, 0x28])],
    ['plain text', new TextEncoder().encode('not a protobuf message')],
  ])('throws on %s', (_name, bytes) => {
    expect(() => decodeTrackingEvent(bytes)).toThrow();
  });
});

describe('enrichHit', () => {
  const program = { programId: 'prog-1', programName: 'Morning Show', checksum: 'abc', customerId: 7, customerName: 'Acme', valid: true, version: 3 };

  it('combines the hit, its program and the ids', () => {
    expect(enrichHit(program, { programId: 'prog-1', userAgent: 'curl/8' }, { messageId: 'm-1', timestampMs: 1_700_000_000_000 })).toEqual({
      programId: 'prog-1', checksum: 'abc', customerId: 7, userAgent: 'curl/8', programName: 'Morning Show',
      customerName: 'Acme', isValid: true, messageId: 'm-1', timestampMs: 1_700_000_000_000,
    });
  });

  it('cuts an overlong user agent to the limit instead of producing an unstorable event', () => {
    const enriched = enrichHit(program, { programId: 'prog-1', userAgent: 'x'.repeat(5000) }, { messageId: 'm-1', timestampMs: 1 });
    expect(enriched.userAgent).toHaveLength(LIMITS.userAgent);
  });
});

describe('hitAnswer', () => {
  it('tells the caller the hit\'s id, program and time, and nothing about the customer', () => {
    expect(hitAnswer(event)).toEqual({ messageId: event.messageId, programId: event.programId, timestampMs: event.timestampMs });
  });
});

describe('toItem', () => {
  it('is the TrackingEvents item keyed by MessageId', () => {
    expect(toItem(event)).toEqual({
      MessageId: event.messageId, ProgramId: event.programId, Checksum: event.checksum, CustomerId: event.customerId,
      UserAgent: event.userAgent, ProgramName: event.programName, CustomerName: event.customerName, IsValid: event.isValid,
      TimestampMs: event.timestampMs,
    });
  });
});

function blank(): TrackingEvent {
  return { programId: '', checksum: '', customerId: 0, userAgent: '', programName: '', customerName: '', isValid: false, messageId: '', timestampMs: 0 };
}
