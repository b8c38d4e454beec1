import { describe, expect, it } from 'vitest';
import { callerGroups, callerId, requireGroup } from '../../../src/functions/shared/caller.ts';
import type { HttpError, HttpEvent } from '../../../src/functions/shared/http.ts';

const event = (authorizer: unknown) =>
  ({ requestContext: { requestId: 'r', ...(authorizer === undefined ? {} : { authorizer }) } }) as unknown as HttpEvent;
const withClaims = (claims: Record<string, unknown>) =>
  event({ jwt: { claims: { sub: 'abc-123', ...claims }, scopes: null } });

describe('callerId', () => {
  it('is the sub the JWT authorizer verified', () => {
    expect(callerId(event({ jwt: { claims: { sub: 'abc-123', email: 'a@example.com' }, scopes: null } }))).toBe(
      'abc-123',
    );
  });

  it('answers 401 when the request carries no verified sub', () => {
    for (const authorizer of [
      undefined,
      {},
      { jwt: {} },
      { jwt: { claims: {} } },
      { jwt: { claims: { sub: '' } } },
      { jwt: { claims: { sub: 42 } } },
      { jwt: { claims: 'sub' } },
    ]) {
      expect(() => callerId(event(authorizer))).toThrow(expect.objectContaining({ status: 401 }) as HttpError);
    }
  });
});

describe('callerGroups', () => {
  it.each([
    ["API Gateway's bracketed, space-separated string", '[operators admins]', ['operators', 'admins']],
    ['one group in brackets', '[operators]', ['operators']],
    ['a real array (a direct invoke, the token itself)', ['operators', 'admins'], ['operators', 'admins']],
    ['a JSON array text', '["operators","admins"]', ['operators', 'admins']],
    ['an unbracketed single group', 'operators', ['operators']],
    ['no claim', undefined, []],
    ['an empty list', '[]', []],
    ['a number', 7, []],
  ])('reads %s', (_label, claim, groups) => {
    expect(callerGroups(withClaims(claim === undefined ? {} : { 'cognito:groups': claim }))).toEqual(groups);
  });
});

describe('requireGroup', () => {
  it('lets a member of the group through and returns the caller', () => {
    expect(requireGroup(withClaims({ 'cognito:groups': '[admins operators]' }), 'operators')).toBe('abc-123');
  });

  it('answers 403 forbidden to a signed-in user outside the group, also one whose group only contains the name', () => {
    for (const claims of [
      {},
      { 'cognito:groups': '[admins]' },
      { 'cognito:groups': '[operators-readonly]' },
      { 'cognito:groups': 'not-operators' },
    ]) {
      expect(() => requireGroup(withClaims(claims), 'operators')).toThrow(
        expect.objectContaining({ status: 403, code: 'forbidden' }) as HttpError,
      );
    }
  });

  it('answers 401 when there is no verified user at all', () => {
    expect(() => requireGroup(event(undefined), 'operators')).toThrow(
      expect.objectContaining({ status: 401 }) as HttpError,
    );
  });
});
