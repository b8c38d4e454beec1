import * as z from 'zod';

/**
 * `POST /votes`: the candidate is checked against the configured candidates after this. The voter is
 * the signed-in user (the token's `sub`); a `voterId` in the body is ignored, never trusted.
 */
export const webVoteSchema = z.object({
  candidate: z
    .string({ error: 'candidate is required and must be a string' })
    .max(64, 'candidate must be at most 64 characters'),
});
export type WebVote = z.infer<typeof webVoteSchema>;

/** `POST /votes/sms`: a Twilio webhook; only From and Body matter, other fields are ignored. */
export const smsWebhookSchema = z.object({
  From: z
    .string({ error: "From is required (the sender's phone number)" })
    .refine((phone) => /\d/.test(phone), 'From must be a phone number'),
  Body: z.string({ error: 'Body is required (the message text)' }),
});
export type SmsWebhook = z.infer<typeof smsWebhookSchema>;
