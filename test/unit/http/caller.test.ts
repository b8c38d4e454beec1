import { describe, expect, it } from 'vitest';
import { callerId } from '../../../src/functions/mobile/caller.ts';
import type { HttpError, HttpEvent } from '../../../src/functions/shared/http.ts';

const event = (authorizer: unknown) => ({ requestContext: { requestId: 'r', ...(authorizer === undefined ? {} : { authorizer }) } }) as unknown as HttpEvent;

describe('callerId', () => {
  it('is the sub the JWT authorizer verified', () => {
    expect(callerId(event({ jwt: { claims: { sub: 'abc-123', email: 'a@example.com' }, scopes: null } }))).toBe('abc-123');
  });

  it('answers 401 when the request carries no verified sub', () => {
    for (const authorizer of [undefined, {}, { jwt: {} }, { jwt: { claims: {} } }, { jwt: { claims: { sub: '' } } }, { jwt: { claims: { sub: 42 } } }]) {
      expect(() => callerId(event(authorizer))).toThrow(expect.objectContaining({ status: 401 }) as HttpError);
    }
  });
});
