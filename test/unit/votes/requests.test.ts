import { describe, expect, it } from 'vitest';
import { smsWebhookSchema, webVoteSchema } from '../../../src/domain/votes/requests.ts';

const issues = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

describe('webVoteSchema (POST /votes)', () => {
  it('accepts a vote and ignores unknown fields', () => {
    expect(webVoteSchema.parse({ voterId: 'alice', candidate: 'RED', extra: 1 })).toEqual({ voterId: 'alice', candidate: 'RED' });
  });

  it('accepts a voterId of 128 characters, including any printable Unicode', () => {
    expect(webVoteSchema.safeParse({ voterId: 'é'.repeat(128), candidate: 'RED' }).success).toBe(true);
  });

  it.each([
    ['a missing voterId', { candidate: 'RED' }, /voterId is required/],
    ['a voterId that is not a string', { voterId: 42, candidate: 'RED' }, /voterId is required and must be a string/],
    ['an empty voterId', { voterId: '', candidate: 'RED' }, /voterId must not be empty/],
    ['a blank voterId', { voterId: '   ', candidate: 'RED' }, /voterId must not be blank/],
    ['an overlong voterId', { voterId: 'x'.repeat(129), candidate: 'RED' }, /at most 128 characters/],
    ['a voterId with a control character', { voterId: 'ali\nce', candidate: 'RED' }, /control characters/],
    ['a voterId with a C1 control character', { voterId: 'ali\u0085ce', candidate: 'RED' }, /control characters/],
    ['a voterId in the SMS namespace', { voterId: 'sms:abc', candidate: 'RED' }, /reserved for SMS voters/],
    ['a missing candidate', { voterId: 'alice' }, /candidate is required/],
    ['an overlong candidate', { voterId: 'alice', candidate: 'R'.repeat(65) }, /candidate must be at most 64/],
  ])('rejects %s', (_label, input, message) => {
    const result = webVoteSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(issues(result).join('\n')).toMatch(message);
  });
});

describe('smsWebhookSchema (POST /votes/sms)', () => {
  it('reads From and Body and ignores the other webhook fields', () => {
    expect(smsWebhookSchema.parse({ From: '+14155550123', Body: ' green ', MessageSid: 'SM1', AccountSid: 'AC1' }))
      .toEqual({ From: '+14155550123', Body: ' green ' });
  });

  it('accepts an empty Body (answered with the choices)', () => {
    expect(smsWebhookSchema.safeParse({ From: '+14155550123', Body: '' }).success).toBe(true);
  });

  it.each([
    ['a missing From', { Body: 'RED' }, /From is required/],
    ['a From without digits', { From: 'anonymous', Body: 'RED' }, /From must be a phone number/],
    ['a repeated From', { From: ['+1415', '+1416'], Body: 'RED' }, /From is required/],
    ['a missing Body', { From: '+14155550123' }, /Body is required/],
  ])('rejects %s', (_label, input, message) => {
    const result = smsWebhookSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(issues(result).join('\n')).toMatch(message);
  });
});
