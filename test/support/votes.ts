import { localCloud } from './cloud.ts';

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

let sequence = 9_500_000_000;

/** A VoteApp stream record as Lambda delivers it (images as plain values, marshalled here), as notesStreamRecord is for Notes. */
export function voteStreamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', voterId: string, images: { old?: Record<string, unknown>; new?: Record<string, unknown> }) {
  sequence += 1;
  // Object.fromEntries keeps every attribute an own property, even one named __proto__.
  const marshal = (image: Record<string, unknown>) => Object.fromEntries(Object.entries(image).map(([name, value]) => [name, typeof value === 'number' ? { N: String(value) } : { S: value }]));
  return {
    eventID: `evt-${sequence}`, eventName, eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${localCloud().stackName}-VoteApp/stream/2026-01-01T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000), Keys: { VoterId: { S: voterId } },
      ...(images.old ? { OldImage: marshal(images.old) } : {}), ...(images.new ? { NewImage: marshal(images.new) } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'), SizeBytes: 80, StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
