import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  base64url,
  pkcePair,
  sessionOf,
  tokenClaims,
  tokenRequestBody,
  usableSession,
} from '../../../web/sign-in.js';

const hosted = {
  mode: 'hosted' as const,
  domain: 'https://refarch-prod-123456789012.auth.us-east-1.amazoncognito.com/',
  clientId: 'client123',
};
const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('sign-in helpers', () => {
  it('makes the S256 challenge of RFC 7636 appendix B', async () => {
    // The RFC's example verifier is the base64url of these 32 octets.
    const octets = Uint8Array.from([
      116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240,
      91, 88, 5, 88, 83, 132, 141, 121,
    ]);
    expect(await pkcePair(octets)).toEqual({
      verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    });
    expect(base64url(Uint8Array.from([251, 255]))).toBe('-_8');
  });

  it('sends the hosted UI the code flow with the S256 challenge, and exchanges the code with the verifier and no secret', () => {
    const url = new URL(
      authorizeUrl(hosted, { redirectUri: 'https://d1.cloudfront.net/iot.html', state: 's1', challenge: 'c1' }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://refarch-prod-123456789012.auth.us-east-1.amazoncognito.com/oauth2/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://d1.cloudfront.net/iot.html',
      scope: 'openid email profile',
      state: 's1',
      code_challenge: 'c1',
      code_challenge_method: 'S256',
    });
    expect(
      Object.fromEntries(
        new URLSearchParams(
          tokenRequestBody(hosted, { code: 'k', redirectUri: 'https://d1.cloudfront.net/iot.html', verifier: 'v' }),
        ),
      ),
    ).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'k',
      redirect_uri: 'https://d1.cloudfront.net/iot.html',
      code_verifier: 'v',
    });
  });

  it('reads who signed in from the token, and refuses what is not a token', () => {
    const token = jwt({ sub: 'u1', email: 'zoë@example.com', 'cognito:groups': ['operators'], exp: 2_000_000_000 });
    expect(tokenClaims(token)).toMatchObject({ email: 'zoë@example.com' });
    expect(sessionOf(token)).toEqual({
      token,
      user: 'zoë@example.com',
      groups: ['operators'],
      expiresAtMs: 2_000_000_000_000,
    });
    expect(sessionOf(jwt({ sub: 'u2', 'cognito:username': 'bob', exp: 1 }))).toMatchObject({ user: 'bob', groups: [] });
    for (const bad of ['', 'a.b.c', 'x.' + Buffer.from('[1]').toString('base64url') + '.y', jwt({ sub: 'no-exp' })])
      expect(sessionOf(bad)).toBeNull();
  });

  it('keeps a session only while it has more than a minute left', () => {
    const session = { token: 't', user: 'a', groups: [], expiresAtMs: 1_000_000 };
    expect(usableSession(session, 1_000_000 - 120_000)).toBe(session);
    expect(usableSession(session, 1_000_000 - 30_000)).toBeNull();
    expect(usableSession(null, 0)).toBeNull();
  });
});
