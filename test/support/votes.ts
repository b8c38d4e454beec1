import { localCloud } from './cloud.ts';
import { dynamodbStreamRecord, type StreamEventName } from './dynamodb-stream-event.ts';

export interface Results { candidates: Array<{ candidate: string; votes: number }>; total: number }

export async function castVote(voterId: string, candidate: string): Promise<Response> {
  return fetch(`${localCloud().endpoints.http}/votes`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ voterId, candidate }),
  });
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
export function voteStreamRecord(eventName: StreamEventName, voterId: string, images: { old?: Record<string, unknown>; new?: Record<string, unknown> }) {
  return dynamodbStreamRecord('VoteApp', eventName, { VoterId: voterId }, images);
}
