import { recordVote } from '../../adapters/votes-table.ts';
import { bodyText } from '../../domain/http/body.ts';
import { candidatesIn, resolveCandidate } from '../../domain/votes/candidates.ts';
import { secretString } from '../../adapters/secrets.ts';
import { smsWebhookSchema, webVoteSchema } from '../../domain/votes/requests.ts';
import type { SmsWebhook, WebVote } from '../../domain/votes/requests.ts';
import { choicesText, thankYouText, twimlMessage } from '../../domain/votes/sms-reply.ts';
import { formParams, isTwilioSignatureValid } from '../../domain/votes/twilio-signature.ts';
import { smsVoterId } from '../../domain/votes/voter-id.ts';
import { callerId, signedIn } from '../shared/caller.ts';
import { envConfig, string, url, variable } from '../shared/config.ts';
import { HttpError, httpHandler, json, route, text } from '../shared/http.ts';
import type { HttpEvent, HttpRequest } from '../shared/http.ts';

const config = envConfig({
  table: string('VOTES_TABLE'),
  candidates: variable('CANDIDATES', 'a comma-separated list of candidates', candidatesIn),
  smsWebhookUrl: url('SMS_WEBHOOK_URL'),
  // Secrets Manager secret ids (ARNs): the secrets themselves are read at run time, cached.
  voterHashKeySecret: string('VOTER_HASH_KEY_SECRET'),
  twilioAuthTokenSecret: string('TWILIO_AUTH_TOKEN_SECRET'),
});
const voterHashKey = () => secretString(config().voterHashKeySecret);
const twilioAuthToken = () => secretString(config().twilioAuthTokenSecret);

/**
 * `POST /votes` (JSON, a signed-in user: the voter is the token's `sub`) and `POST /votes/sms` (a
 * form-encoded Twilio webhook, accepted only with Twilio's signature, answered in TwiML).
 */
export const handler = httpHandler({
  'POST /votes': route({ authorize: signedIn, accepts: ['json'], body: webVoteSchema, handle: castWebVote }),
  'POST /votes/sms': route({
    authorize: verifyTwilioSignature,
    accepts: ['form'],
    body: smsWebhookSchema,
    handle: castSmsVote,
  }),
});

async function castWebVote({ body, event }: HttpRequest<WebVote>) {
  const { table, candidates } = config();
  const candidate = resolveCandidate(body.candidate, candidates);
  if (!candidate) {
    throw new HttpError(
      400,
      'unknown_candidate',
      `"${body.candidate}" is not a candidate; vote for one of ${candidates.join(', ')}`,
      { validCandidates: candidates },
    );
  }
  const voterId = callerId(event);
  const changed = await recordVote(table, { voterId, candidate, channel: 'web', updatedAt: new Date().toISOString() });
  return json(200, { candidate, changed });
}

/** An SMS always gets an answer: a vote is thanked, anything else gets the list of choices. */
async function castSmsVote({ body }: HttpRequest<SmsWebhook>) {
  const { table, candidates } = config();
  const candidate = resolveCandidate(body.Body, candidates);
  if (!candidate) return twiml(choicesText(candidates));
  const voterId = smsVoterId(await voterHashKey(), body.From);
  await recordVote(table, { voterId, candidate, channel: 'sms', updatedAt: new Date().toISOString() });
  return twiml(thankYouText(candidate));
}

/** Only Twilio, which knows the account's auth token, can sign a webhook for the public URL. */
async function verifyTwilioSignature(event: HttpEvent): Promise<void> {
  const params = formParams(bodyText(event.body, event.isBase64Encoded));
  if (
    !isTwilioSignatureValid(
      await twilioAuthToken(),
      config().smsWebhookUrl,
      params,
      event.headers['x-twilio-signature'],
    )
  ) {
    throw new HttpError(
      403,
      'invalid_signature',
      'The request does not carry a valid X-Twilio-Signature for this webhook',
    );
  }
}

const twiml = (message: string) => text(200, twimlMessage(message), 'text/xml; charset=utf-8');
