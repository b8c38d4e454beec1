import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { authorizeRequest, mintIdToken, newSigningKey, subFor, type JwtAuthorizerModel } from './jwt-authorizer.ts';

const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_localpool';
const authorizer: JwtAuthorizerModel = {
  type: 'JWT',
  issuer,
  audience: ['localclient'],
  identitySource: '$request.header.Authorization',
};
const key = await newSigningKey();
const now = Math.floor(Date.now() / 1000);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('local JWT authorizer (as API Gateway checks Cognito tokens)', () => {
  it('accepts a minted token and hands its claims over as strings', async () => {
    const { token, expiresAt, sub } = await mintIdToken(key, authorizer, 'alice', { nowSeconds: now });
    expect(expiresAt).toBe(new Date((now + 3600) * 1000).toISOString());
    const decision = await authorizeRequest(key, authorizer, bearer(token));
    expect(decision).toEqual({
      status: 200,
      claims: expect.objectContaining({
        sub,
        iss: issuer,
        aud: 'localclient',
        token_use: 'id',
        'cognito:username': 'alice',
        email: 'alice@example.com',
        email_verified: 'true',
        exp: String(now + 3600),
      }),
    });
  });

  it('puts groups in cognito:groups, handed over as API Gateway does ("[a b]"), and leaves the claim out without groups', async () => {
    const withGroups = await mintIdToken(key, authorizer, 'olga', { groups: ['operators', 'admins'] });
    expect(await authorizeRequest(key, authorizer, bearer(withGroups.token))).toMatchObject({
      status: 200,
      claims: { 'cognito:groups': '[operators admins]' },
    });
    const without = await authorizeRequest(key, authorizer, bearer((await mintIdToken(key, authorizer, 'olga')).token));
    expect(without.status === 200 && 'cognito:groups' in without.claims).toBe(false);
  });

  it('gives each user name one stable, UUID-shaped sub', () => {
    expect(subFor('alice')).toBe(subFor('alice'));
    expect(subFor('alice')).not.toBe(subFor('bob'));
    expect(subFor('alice')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('takes the token with or without the Bearer prefix, in any case', async () => {
    const { token } = await mintIdToken(key, authorizer, 'alice');
    for (const value of [token, `bearer ${token}`, `BEARER  ${token}`, ` Bearer ${token} `]) {
      expect((await authorizeRequest(key, authorizer, { authorization: value })).status).toBe(200);
    }
  });

  it('refuses a missing or empty Authorization header', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: '' },
      { authorization: 'Bearer ' },
      { 'x-authorization': (await mintIdToken(key, authorizer, 'a')).token },
    ];
    for (const headers of cases) {
      expect(await authorizeRequest(key, authorizer, headers)).toEqual({ status: 401 });
    }
  });

  it('refuses a token signed with another key', async () => {
    const { token } = await mintIdToken(await newSigningKey(), authorizer, 'mallory');
    expect(await authorizeRequest(key, authorizer, bearer(token))).toEqual({ status: 401 });
  });

  it('refuses another issuer and another audience', async () => {
    const otherPool = await mintIdToken(key, { issuer: `${issuer}x`, audience: ['localclient'] }, 'alice');
    const otherClient = await mintIdToken(key, { issuer, audience: ['otherclient'] }, 'alice');
    expect(await authorizeRequest(key, authorizer, bearer(otherPool.token))).toEqual({ status: 401 });
    expect(await authorizeRequest(key, authorizer, bearer(otherClient.token))).toEqual({ status: 401 });
  });

  it('accepts a Cognito access token by its client_id, which it carries instead of aud', async () => {
    const access = await new SignJWT({
      client_id: 'localclient',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setSubject(subFor('alice'))
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key.privateKey);
    expect(await authorizeRequest(key, authorizer, bearer(access))).toMatchObject({
      status: 200,
      claims: { client_id: 'localclient' },
    });
  });

  it('refuses an expired token, one not valid yet, and one without exp', async () => {
    const expired = await mintIdToken(key, authorizer, 'alice', { nowSeconds: now - 7200 });
    expect(await authorizeRequest(key, authorizer, bearer(expired.token))).toEqual({ status: 401 });
    const minted = await mintIdToken(key, authorizer, 'alice', { nowSeconds: now });
    expect(await authorizeRequest(key, authorizer, bearer(minted.token), new Date((now + 3601) * 1000))).toEqual({
      status: 401,
    });
    const early = await new SignJWT({ aud: 'localclient' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(issuer)
      .setExpirationTime('1h')
      .setNotBefore('10m')
      .sign(key.privateKey);
    expect(await authorizeRequest(key, authorizer, bearer(early))).toEqual({ status: 401 });
    const forever = await new SignJWT({ aud: 'localclient' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(issuer)
      .sign(key.privateKey);
    expect(await authorizeRequest(key, authorizer, bearer(forever))).toEqual({ status: 401 });
  });

  it('refuses malformed tokens and unsigned ones', async () => {
    const { token } = await mintIdToken(key, authorizer, 'alice');
    const [header, payload] = token.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    for (const bad of ['abc', 'a.b.c', `${header}.${payload}`, `${header}.${payload}.AAAA`, unsigned, `${token}x`]) {
      expect(await authorizeRequest(key, authorizer, bearer(bad))).toEqual({ status: 401 });
    }
  });
});
