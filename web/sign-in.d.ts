// Types of sign-in.js for the unit tests (the browser loads sign-in.js itself; there is no build step).
export interface AuthConfig {
  mode: 'local' | 'hosted';
  tokenUrl?: string;
  domain?: string;
  clientId?: string;
  pagesUrl?: string;
}
export interface Session {
  token: string;
  user: string;
  groups: string[];
  expiresAtMs: number;
}

export function base64url(bytes: Uint8Array): string;
export function pkcePair(randomBytes?: Uint8Array): Promise<{ verifier: string; challenge: string }>;
export function authorizeUrl(
  auth: AuthConfig,
  request: { redirectUri: string; state: string; challenge: string },
): string;
export function tokenRequestBody(
  auth: AuthConfig,
  request: { code: string; redirectUri: string; verifier: string },
): string;
export function tokenClaims(token: string): Record<string, unknown> | null;
export function sessionOf(token: string): Session | null;
export function usableSession(session: Session | null, nowMs: number): Session | null;
