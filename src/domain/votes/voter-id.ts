import { createHmac } from 'node:crypto';

/** Prefix of the voter ids of SMS voters; reserved, so a web voter cannot take an SMS voter's id. */
export const SMS_VOTER_PREFIX = 'sms:';

/** The digits of a phone number: "+1 (555) 123-4567" and "15551234567" are the same voter. */
export function normalisePhone(phone: string): string {
  return phone.replace(/\D/g, '');
}

/**
 * The voter id of an SMS voter: a keyed hash of the phone number, so the number is never stored and
 * cannot be recovered by hashing guessed numbers without the key.
 */
export function smsVoterId(hashKey: string, phone: string): string {
  const digits = normalisePhone(phone);
  if (digits.length === 0) throw new Error('a phone number needs digits');
  return SMS_VOTER_PREFIX + createHmac('sha256', hashKey).update(digits).digest('hex');
}
