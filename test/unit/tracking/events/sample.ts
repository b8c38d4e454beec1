import type { TrackingEvent } from '../../../../src/domain/tracking/tracking-event.ts';

export function sampleEvent(overrides: Partial<TrackingEvent> = {}): TrackingEvent {
  return {
    programId: 'prog-1001', checksum: '5f4dcc3b5aa765d61d8327deb882cf99', customerId: 1042,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', programName: 'Morning Show', customerName: 'Acme Outdoor',
    isValid: true, messageId: '3f6c2a1e-8d4b-4c7a-9f0e-2b5d7c9a1e34', timestampMs: 1_795_342_530_412, ...overrides,
  };
}
