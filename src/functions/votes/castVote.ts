import { recordVote } from '../../adapters/votes-table.ts';
import { parseCandidates, resolveCandidate } from '../../domain/votes/candidates.ts';
import { smsWebhookSchema, webVoteSchema } from '../../domain/votes/requests.ts';
import type { SmsWebhook, WebVote } from '../../domain/votes/requests.ts';
import { choicesText, thankYouText, twimlMessage } from '../../domain/votes/sms-reply.ts';
import { smsVoterId } from '../../domain/votes/voter-id.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { HttpError, httpHandler, json, route, text } from '../shared/http.ts';
import type { HttpRequest } from '../shared/http.ts';

const config = lazy(() => ({
  table: requiredEnv('VOTES_TABLE'),
  candidates: parseCandidates(requiredEnv('CANDIDATES')),
}));
const voterHashKey = lazy(() => requiredEnv('VOTER_HASH_KEY'));

/** `POST /votes` (JSON) and `POST /votes/sms` (a form-encoded SMS webhook, answered in TwiML). */
export const handler = httpHandler({
  'POST /votes': route({ accepts: ['json'], body: webVoteSchema, handle: castWebVote }),
  'POST /votes/sms': route({ accepts: ['form'], body: smsWebhookSchema, handle: castSmsVote }),
});

async function castWebVote({ body }: HttpRequest<WebVote>) {
  const { table, candidates } = config();
  const candidate = resolveCandidate(body.candidate, candidates);
  if (!candidate) {
    throw new HttpError(400, 'unknown_candidate', `"${body.candidate}" is not a candidate; vote for one of ${candidates.join(', ')}`, { validCandidates: candidates });
  }
  const changed = await recordVote(table, { voterId: body.voterId, candidate, channel: 'web', updatedAt: new Date().toISOString() });
  return json(200, { voterId: body.voterId, candidate, changed });
}

/** An SMS always gets an answer: a vote is thanked, anything else gets the list of choices. */
async function castSmsVote({ body }: HttpRequest<SmsWebhook>) {
  const { table, candidates } = config();
  const candidate = resolveCandidate(body.Body, candidates);
  if (!candidate) return twiml(choicesText(candidates));
  const voterId = smsVoterId(voterHashKey(), body.From);
  await recordVote(table, { voterId, candidate, channel: 'sms', updatedAt: new Date().toISOString() });
  return twiml(thankYouText(candidate));
}

const twiml = (message: string) => text(200, twimlMessage(message), 'text/xml; charset=utf-8');
