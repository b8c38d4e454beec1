import { localCloud } from './cloud.ts';

/** Tokens minted by the test cloud, by user name and groups: one each is enough (they live an hour). */
const tokens = new Map<string, Promise<string>>();

export interface TokenOptions {
  /** The user's Cognito groups (`cognito:groups`); none by default. */
  groups?: readonly string[];
}

/**
 * A Cognito-like ID token for this user name, signed by the test cloud's local key, so calls through the
 * local HTTP API pass the `notesAuthorizer`. The same user name always gets the same `sub`.
 */
export function tokenFor(user: string, options: TokenOptions = {}): Promise<string> {
  const groups = [...(options.groups ?? [])];
  const cacheKey = JSON.stringify([user, groups]);
  let token = tokens.get(cacheKey);
  if (!token) {
    token = mintToken(user, groups);
    tokens.set(cacheKey, token);
    token.catch(() => tokens.delete(cacheKey));
  }
  return token;
}

/** Request headers that authenticate as this user (plus a JSON content type). */
export async function authHeaders(user: string, options: TokenOptions = {}): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(user, options)}`, 'content-type': 'application/json' };
}

/** Headers of a signed-in member of the `operators` group: who may call the IoT routes. */
export const operatorHeaders = (user = 'operator') => authHeaders(user, { groups: ['operators'] });

async function mintToken(user: string, groups: string[]): Promise<string> {
  const response = await fetch(`${localCloud().endpoints.console}/_local/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, ...(groups.length > 0 ? { groups } : {}) }),
  });
  if (!response.ok) throw new Error(`minting a token for ${user}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** The `sub` (user id) the local cloud gives this user name: what a function sees as the owner. */
export { subFor as userIdFor } from '@refarch/local-cloud';
