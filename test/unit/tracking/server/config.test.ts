import { describe, expect, it } from 'vitest';
import { BATCHER_DEFAULTS } from '../../../../src/adapters/kinesis-batcher.ts';
import { batcherOptionsFromEnv } from '../../../../src/server/tracking/config.ts';

describe('tracking server batcher configuration', () => {
  it('takes the defaults when nothing is set', () => {
    expect(batcherOptionsFromEnv({})).toEqual({
      maxRecords: BATCHER_DEFAULTS.maxRecords,
      maxBytes: BATCHER_DEFAULTS.maxBytes,
      maxInFlight: BATCHER_DEFAULTS.maxInFlight,
    });
  });

  it('reads the bounds from the environment', () => {
    expect(
      batcherOptionsFromEnv({
        TRACKING_QUEUE_MAX_RECORDS: '50',
        TRACKING_QUEUE_MAX_BYTES: '4096',
        TRACKING_MAX_IN_FLIGHT: '8',
      }),
    ).toEqual({ maxRecords: 50, maxBytes: 4096, maxInFlight: 8 });
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => batcherOptionsFromEnv({ TRACKING_QUEUE_MAX_RECORDS: '0' })).toThrow(/TRACKING_QUEUE_MAX_RECORDS/);
    expect(() => batcherOptionsFromEnv({ TRACKING_QUEUE_MAX_BYTES: 'lots' })).toThrow(/TRACKING_QUEUE_MAX_BYTES/);
  });
});
