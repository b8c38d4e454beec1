import { setTimeout as sleep } from 'node:timers/promises';
import { localTokens } from '@refarch/local-cloud';

/**
 * A plan of votes: every voter votes once, then `changes` of them change to another candidate. Voters
 * are user names: each votes signed in with a token the local cloud mints for that name.
 */
export interface VotePlan {
  votes: Array<{ voterId: string; candidate: string }>;
  expected: Record<string, number>;
}

export function planVotes(options: {
  voters: number;
  changes: number;
  candidates: string[];
  prefix: string;
  seed?: number;
}): VotePlan {
  let state = options.seed ?? 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = () => options.candidates[Math.floor(random() * options.candidates.length)]!;
  const final = new Map<string, string>();
  const votes: VotePlan['votes'] = [];
  for (let i = 0; i < options.voters; i += 1) {
    const vote = { voterId: `${options.prefix}-${i}`, candidate: pick() };
    votes.push(vote);
    final.set(vote.voterId, vote.candidate);
  }
  for (let i = 0; i < options.changes; i += 1) {
    const voterId = `${options.prefix}-${Math.floor(random() * options.voters)}`;
    const others = options.candidates.filter((c) => c !== final.get(voterId));
    const vote = { voterId, candidate: others[Math.floor(random() * others.length)]! };
    votes.push(vote);
    final.set(voterId, vote.candidate);
  }
  const expected = Object.fromEntries(options.candidates.map((c) => [c, 0]));
  for (const candidate of final.values()) expected[candidate] = (expected[candidate] ?? 0) + 1;
  return { votes, expected };
}

/**
 * Sends the votes with bounded concurrency, in order per voter (a change is sent after the vote it
 * changes), retrying 5xx and network errors as a client would. Returns how many requests were retried.
 */
export async function sendVotes(
  endpoints: { http: string; console: string },
  votes: VotePlan['votes'],
  concurrency = 16,
  onSent?: (sent: number) => void,
): Promise<{ sent: number; retries: number }> {
  const tokenFor = localTokens(endpoints.console);
  const byVoter = new Map<string, VotePlan['votes']>();
  for (const vote of votes) byVoter.set(vote.voterId, [...(byVoter.get(vote.voterId) ?? []), vote]);
  const queues = [...byVoter.values()];
  let retries = 0;
  let sent = 0;
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const vote of queue) {
        const attempts = await sendOne(endpoints.http, await tokenFor(vote.voterId), vote.candidate); // not `retries += await ...`: that would drop concurrent updates
        retries += attempts;
        sent += 1;
        onSent?.(sent);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sent, retries };
}

async function sendOne(apiUrl: string, token: string, candidate: string): Promise<number> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(`${apiUrl}/votes`, { method: 'POST', headers, body: JSON.stringify({ candidate }) });
      await response.arrayBuffer();
      if (response.status === 200) return attempt;
      if (response.status < 500) throw new Error(`vote rejected with ${response.status}`);
    } catch (error) {
      if ((error as Error).message.startsWith('vote rejected') || attempt > 50) throw error;
    }
    await sleep(Math.min(20 * 2 ** attempt, 500));
  }
}

export async function fetchTotals(apiUrl: string): Promise<Record<string, number>> {
  const response = await fetch(`${apiUrl}/results`);
  const results = (await response.json()) as { candidates: Array<{ candidate: string; votes: number }> };
  return Object.fromEntries(results.candidates.map((c) => [c.candidate, c.votes]));
}
