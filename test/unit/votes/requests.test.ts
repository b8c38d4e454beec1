import { describe, expect, it } from 'vitest';
import { smsWebhookSchema, webVoteSchema } from '../../../src/domain/votes/requests.ts';

const issues = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

describe('webVoteSchema (POST /votes)', () => {
  it("reads the candidate and ignores every other field, a voterId included (the voter is the token's sub)", () => {
    expect(webVoteSchema.parse({ voterId: 'alice', candidate: 'RED', extra: 1 })).toEqual({ candidate: 'RED' });
  });

  it.each([
    ['a missing candidate', { voterId: 'alice' }, /candidate is required/],
    ['a candidate that is not a string', { candidate: 42 }, /candidate is required and must be a string/],
    ['an overlong candidate', { candidate: 'R'.repeat(65) }, /candidate must be at most 64/],
  ])('rejects %s', (_label, input, message) => {
    const result = webVoteSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(issues(result).join('\n')).toMatch(message);
  });
});

describe('smsWebhookSchema (POST /votes/sms)', () => {
  it('reads From and Body and ignores the other webhook fields', () => {
    expect(
      smsWebhookSchema.parse({ From: '+14155550123', Body: ' green ', MessageSid: 'SM1', AccountSid: 'AC1' }),
    ).toEqual({ From: '+14155550123', Body: ' green ' });
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
