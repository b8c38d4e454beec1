import type { HttpEvent } from '../shared/http.ts';
import { HttpError } from '../shared/http.ts';

/**
 * The signed-in caller's user id: the `sub` claim the HTTP API's JWT authorizer verified. Routes
 * without the authorizer have none, which is our deployment error, not the client's: still a 401,
 * so no request is ever served as nobody.
 */
export function callerId(event: HttpEvent): string {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') throw new HttpError(401, 'unauthorized', 'The request carries no verified user');
  return sub;
}
