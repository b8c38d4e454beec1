import type { HttpEvent } from './http.ts';
import { HttpError } from './http.ts';

/**
 * Who calls an HTTP route, from the claims the HTTP API's JWT authorizer verified. Routes without the
 * authorizer have none, which is our deployment error, not the client's: still a 401, so no request is
 * ever served as nobody.
 */

type Claims = Record<string, unknown>;

/** The Cognito group of the people who run the sensors: only they may call the IoT HTTP routes. */
export const OPERATORS = 'operators';

function verifiedClaims(event: HttpEvent): Claims {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } }).authorizer?.jwt?.claims;
  if (!claims || typeof claims !== 'object')
    throw new HttpError(401, 'unauthorized', 'The request carries no verified user');
  return claims as Claims;
}

/** The signed-in caller's user id: the verified `sub` claim. */
export function callerId(event: HttpEvent): string {
  const sub = verifiedClaims(event).sub;
  if (typeof sub !== 'string' || sub === '')
    throw new HttpError(401, 'unauthorized', 'The request carries no verified user');
  return sub;
}

/**
 * The caller's Cognito groups. API Gateway's HTTP API hands array claims to the function as one string,
 * `[operators admins]` (bracketed, space-separated; group names hold no whitespace); a JSON array text
 * or a real array (a direct invoke) is read too.
 */
export function callerGroups(event: HttpEvent): string[] {
  const claim = verifiedClaims(event)['cognito:groups'];
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string' && group !== '');
  if (typeof claim !== 'string') return [];
  const text = claim.trim();
  if (text.startsWith('["')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed))
        return parsed.filter((group): group is string => typeof group === 'string' && group !== '');
    } catch {
      /* not JSON: read it as API Gateway's form below */
    }
  }
  return text.replace(/^\[/, '').replace(/\]$/, '').split(/\s+/).filter(Boolean);
}

/**
 * Lets the request through only for a signed-in member of `group`: no verified user is a 401, a user
 * outside the group a 403. Returns the caller's user id.
 */
export function requireGroup(event: HttpEvent, group: string): string {
  const sub = callerId(event);
  if (!callerGroups(event).includes(group)) {
    throw new HttpError(403, 'forbidden', `Only members of the ${group} group may do this`, { requiredGroup: group });
  }
  return sub;
}

/** `authorize` of a route for any signed-in user (castVote's web votes). */
export function signedIn(event: HttpEvent): void {
  callerId(event);
}

/** `authorize` of a route for the signed-in members of one group (the IoT routes: operators). */
export function memberOf(group: string): (event: HttpEvent) => void {
  return (event) => {
    requireGroup(event, group);
  };
}
