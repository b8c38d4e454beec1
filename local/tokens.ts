/**
 * Cognito-like ID tokens from a running local cloud (its console's token endpoint), one per user name
 * and groups, reused while they live (an hour): what tools and tests send as `Authorization: Bearer`.
 */
export function localTokens(consoleUrl: string): (user: string, groups?: readonly string[]) => Promise<string> {
  const tokens = new Map<string, Promise<string>>();
  return (user, groups = []) => {
    const key = JSON.stringify([user, groups]);
    let token = tokens.get(key);
    if (!token) {
      token = mint(consoleUrl, user, groups);
      tokens.set(key, token);
      token.catch(() => tokens.delete(key));
    }
    return token;
  };
}

async function mint(consoleUrl: string, user: string, groups: readonly string[]): Promise<string> {
  const response = await fetch(`${consoleUrl}/_local/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(groups.length ? { user, groups } : { user }),
  });
  if (!response.ok) throw new Error(`minting a token for ${user}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
