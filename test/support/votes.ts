import { localTwilioSigner, type TwilioSigner } from '@refarch/local-cloud';
import { authHeaders } from './auth.ts';
import { localCloud } from './cloud.ts';
import { dynamodbStreamRecord, type StreamEventName } from './dynamodb-stream-event.ts';

export interface Results {
  candidates: Array<{ candidate: string; votes: number }>;
  total: number;
}

/** A web vote by a signed-in user (a token minted for this user name; the voter is its `sub`). */
export async function castVote(user: string, candidate: string): Promise<Response> {
  return fetch(`${localCloud().endpoints.http}/votes`, {
    method: 'POST',
    headers: await authHeaders(user),
    body: JSON.stringify({ candidate }),
  });
}

let signer: Promise<TwilioSigner> | undefined;

/** Signs SMS webhooks as Twilio would for the test cloud (its auth token and webhook URL). */
export function twilio(): Promise<TwilioSigner> {
  signer ??= localTwilioSigner(localCloud().endpoints);
  return signer;
}

/** An SMS vote as Twilio sends it: form-encoded and signed. */
export async function smsVote(params: Record<string, string>): Promise<Response> {
  const { url, request } = await twilio();
  return fetch(url, { method: 'POST', ...request(params) });
}

export async function getResults(): Promise<Results> {
  const response = await fetch(`${localCloud().endpoints.http}/results`);
  if (response.status !== 200) throw new Error(`GET /results: ${response.status}`);
  return response.json() as Promise<Results>;
}

export function votesOf(results: Results): Record<string, number> {
  return Object.fromEntries(results.candidates.map((c) => [c.candidate, c.votes]));
}

/** A voter id no other test uses. */
export const uniqueVoter = (label: string) => `${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

/** A VoteApp stream record as Lambda delivers it (images as plain values), as notesStreamRecord is for Notes. */
export function voteStreamRecord(
  eventName: StreamEventName,
  voterId: string,
  images: { old?: Record<string, unknown>; new?: Record<string, unknown> },
) {
  return dynamodbStreamRecord('VoteApp', eventName, { VoterId: voterId }, images);
}
