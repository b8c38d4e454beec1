import { z } from 'zod';
import { SMS_VOTER_PREFIX } from './voter-id.ts';

export const VOTER_ID_MAX_LENGTH = 128;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const voterId = z.string({ error: 'voterId is required and must be a string' })
  .min(1, 'voterId must not be empty')
  .max(VOTER_ID_MAX_LENGTH, `voterId must be at most ${VOTER_ID_MAX_LENGTH} characters`)
  .refine((id) => !CONTROL_CHARACTERS.test(id), 'voterId must not contain control characters')
  .refine((id) => id.trim().length > 0, 'voterId must not be blank')
  .refine((id) => !id.startsWith(SMS_VOTER_PREFIX), `voterId must not start with "${SMS_VOTER_PREFIX}" (reserved for SMS voters)`);

/** `POST /votes`: the candidate is checked against the configured candidates after this. */
export const webVoteSchema = z.object({
  voterId,
  candidate: z.string({ error: 'candidate is required and must be a string' }).max(64, 'candidate must be at most 64 characters'),
});
export type WebVote = z.infer<typeof webVoteSchema>;

/** `POST /votes/sms`: a Twilio-style webhook; only From and Body matter, other fields are ignored. */
export const smsWebhookSchema = z.object({
  From: z.string({ error: 'From is required (the sender\'s phone number)' })
    .refine((phone) => /\d/.test(phone), 'From must be a phone number'),
  Body: z.string({ error: 'Body is required (the message text)' }),
});
export type SmsWebhook = z.infer<typeof smsWebhookSchema>;
