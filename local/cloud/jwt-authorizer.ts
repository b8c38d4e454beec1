import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { RouteModel } from './model.ts';
import { narrowToOwner, writePrivateFile } from '../services/private-file.ts';

/**
 * The local stand-in for Cognito and the HTTP API JWT authorizer: tokens are signed with one local key
 * (RS256, as Cognito signs) and checked the way API Gateway checks them — signature, issuer, audience
 * (`aud`, or `client_id` for access tokens), expiry and not-before.
 */

export type JwtAuthorizerModel = NonNullable<RouteModel['authorizer']>;

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const ALGORITHM = 'RS256';
const TOKEN_LIFETIME_SECONDS = 3600;

/** The local signing key, generated once into `file` (like secrets.json), so tokens survive restarts. */
export async function localSigningKey(file: string): Promise<SigningKey> {
  let jwk = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JWK) : undefined;
  if (!jwk) {
    const pair = await generateKeyPair(ALGORITHM, { extractable: true });
    jwk = { ...(await exportJWK(pair.privateKey)), alg: ALGORITHM };
    jwk.kid = await calculateJwkThumbprint(jwk);
    writePrivateFile(file, JSON.stringify(jwk, null, 2));
  }
  narrowToOwner(file); // also when it was written before with wider permissions
  return signingKeyOf(jwk);
}

/** A signing key from a private JWK (tests make throw-away ones with `newSigningKey`). */
export async function signingKeyOf(jwk: JWK): Promise<SigningKey> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return {
    kid: jwk.kid ?? (await calculateJwkThumbprint(publicJwk)),
    privateKey: (await importJWK(jwk, ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALGORITHM)) as CryptoKey,
  };
}

export async function newSigningKey(): Promise<SigningKey> {
  const pair = await generateKeyPair(ALGORITHM, { extractable: true });
  return signingKeyOf({ ...(await exportJWK(pair.privateKey)), alg: ALGORITHM });
}

/** A stable, UUID-shaped `sub` for a user name: the same user is the same owner across restarts. */
export function subFor(user: string): string {
  const hex = createHash('sha256').update(`local-user:${user}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface MintedToken {
  token: string;
  expiresAt: string;
  sub: string;
}

export interface MintOptions {
  /** The user's groups: Cognito puts them in `cognito:groups` (an array), and leaves the claim out when there are none. */
  groups?: readonly string[];
  nowSeconds?: number;
}

/** A Cognito-like ID token for a user name, valid for one hour from `nowSeconds`. */
export async function mintIdToken(
  key: SigningKey,
  authorizer: Pick<JwtAuthorizerModel, 'issuer' | 'audience'>,
  user: string,
  options: MintOptions = {},
): Promise<MintedToken> {
  const { groups = [], nowSeconds = Math.floor(Date.now() / 1000) } = options;
  const sub = subFor(user);
  const expires = nowSeconds + TOKEN_LIFETIME_SECONDS;
  const token = await new SignJWT({
    ...(groups.length > 0 ? { 'cognito:groups': [...groups] } : {}),
    'cognito:username': user,
    email: user.includes('@') ? user : `${user}@example.com`,
    email_verified: true,
    token_use: 'id',
    auth_time: nowSeconds,
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(authorizer.issuer)
    .setAudience(authorizer.audience[0] ?? '')
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expires)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(expires * 1000).toISOString(), sub };
}

export type AuthorizerDecision = { status: 200; claims: Record<string, string> } | { status: 401 };

/** What the HTTP API decides for a request to a route with this authorizer, given its (lower-cased) headers. */
export async function authorizeRequest(
  key: SigningKey,
  authorizer: JwtAuthorizerModel,
  headers: Record<string, string>,
  currentDate?: Date,
): Promise<AuthorizerDecision> {
  const token = bearerToken(headers[identityHeader(authorizer.identitySource)]);
  if (!token) return { status: 401 };
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer: authorizer.issuer,
      algorithms: [ALGORITHM],
      requiredClaims: ['exp'],
      currentDate,
    });
    if (!audienceMatches(payload, authorizer.audience)) return { status: 401 };
    return { status: 200, claims: claimStrings(payload) };
  } catch {
    return { status: 401 };
  }
}

/** `$request.header.Authorization` -> `authorization` (Node lower-cases header names). */
function identityHeader(identitySource: string): string {
  return identitySource.replace(/^\$request\.header\./i, '').toLowerCase();
}

/** API Gateway takes the token with or without a `Bearer ` prefix. */
function bearerToken(value: string | undefined): string | undefined {
  const token = value?.trim().replace(/^bearer\s+/i, '');
  return token ? token : undefined;
}

function audienceMatches(payload: JWTPayload, audience: string[]): boolean {
  const claimed = payload.aud ?? payload.client_id;
  return [claimed].flat().some((value) => typeof value === 'string' && audience.includes(value));
}

/** API Gateway hands claims to the function as strings (arrays as `[a b]`). */
function claimStrings(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? `[${value.join(' ')}]`
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value),
    ]),
  );
}
