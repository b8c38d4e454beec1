import { localCloud } from './cloud.ts';

/** Tokens minted by the test cloud, by user name: one per user is enough (they live an hour). */
const tokens = new Map<string, Promise<string>>();

/**
 * A Cognito-like ID token for this user name, signed by the test cloud's local key, so calls through the
 * local HTTP API pass the `notesAuthorizer`. The same user name always gets the same `sub`.
 */
export function tokenFor(user: string): Promise<string> {
  let token = tokens.get(user);
  if (!token) {
    token = mintToken(user);
    tokens.set(user, token);
    token.catch(() => tokens.delete(user));
  }
  return token;
}

/** Request headers that authenticate as this user (plus a JSON content type). */
export async function authHeaders(user: string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(user)}`, 'content-type': 'application/json' };
}

async function mintToken(user: string): Promise<string> {
  const response = await fetch(`${localCloud().endpoints.console}/_local/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }),
  });
  if (!response.ok) throw new Error(`minting a token for ${user}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** The `sub` (user id) the local cloud gives this user name: what a function sees as the owner. */
export { subFor as userIdFor } from '../../local/cloud/jwt-authorizer.ts';
