import { describe, expect, it } from 'vitest';
import { normalisePhone, smsVoterId } from '../../../src/domain/votes/voter-id.ts';

describe('SMS voter ids', () => {
  it('are sms: + the hex HMAC-SHA256 of the phone digits under the key', () => {
    // printf '14155550123' | openssl dgst -sha256 -hmac 'test-key'
    expect(smsVoterId('test-key', '+14155550123')).toBe(
      'sms:43fdeeed0f67a51107fec392f1413d84632a4601d4c757304e84a4e1b64d3eea',
    );
  });

  it('are the same however the number is written', () => {
    const id = smsVoterId('test-key', '+14155550123');
    for (const phone of ['+1 (415) 555-0123', '14155550123', ' +1.415.555.0123 '])
      expect(smsVoterId('test-key', phone)).toBe(id);
  });

  it('contain nothing of the phone number and depend on the key', () => {
    const id = smsVoterId('test-key', '+14155550123');
    expect(id).not.toContain('4155550123');
    expect(smsVoterId('other-key', '+14155550123')).not.toBe(id);
  });

  it('need a number with digits', () => {
    expect(normalisePhone('+1 (415) 555-0123')).toBe('14155550123');
    expect(() => smsVoterId('test-key', 'anonymous')).toThrow();
  });
});
