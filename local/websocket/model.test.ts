import { describe, expect, it } from 'vitest';
import { integrationFunctionArn, selectRoute } from './model.ts';

const ROUTES = new Set(['$connect', '$disconnect', '$default', 'getTotals']);

describe('WebSocket route selection ($request.body.action)', () => {
  it('picks the custom route a JSON message names', () => {
    expect(selectRoute('$request.body.action', '{"action":"getTotals"}', ROUTES)).toBe('getTotals');
  });

  it('falls back to $default for non-JSON, a missing or non-string action, an unknown route, or a reserved key', () => {
    for (const body of [
      'getTotals',
      '',
      '{"action":"vote"}',
      '{"action":1}',
      '{}',
      '[]',
      '{"action":"$connect"}',
      '{"action":"$default"}',
    ]) {
      expect(selectRoute('$request.body.action', body, ROUTES), body).toBe('$default');
    }
  });

  it('follows a nested path', () => {
    expect(selectRoute('$request.body.meta.kind', '{"meta":{"kind":"getTotals"}}', ROUTES)).toBe('getTotals');
  });
});

describe('integrationFunctionArn', () => {
  it('takes the function ARN out of a WebSocket integration URI, and leaves an HTTP API one as it is', () => {
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:refarch-test-sendTotals';
    expect(
      integrationFunctionArn(`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`),
    ).toBe(fn);
    expect(integrationFunctionArn(fn)).toBe(fn);
  });
});
