import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { formParams, isTwilioSignatureValid, twilioSignature } from '../../../src/domain/votes/twilio-signature.ts';

// Twilio's documented example: its URL, POST parameters and auth token, and the signature it gives.
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOC_PARAMS: Array<[string, string]> = [
  ['CallSid', 'CA1234567890ABCDE'],
  ['Caller', '+12349013030'],
  ['Digits', '1234'],
  ['From', '+12349013030'],
  ['To', '+18005551212'],
];

describe('twilioSignature', () => {
  it("gives the signature of Twilio's documented example", () => {
    expect(twilioSignature('12345', DOC_URL, DOC_PARAMS)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('does not depend on the order the parameters were sent in', () => {
    expect(twilioSignature('12345', DOC_URL, [...DOC_PARAMS].reverse())).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it("agrees with Twilio's own library for any URL, parameters and token", () => {
    const name = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true }),
        fc.uniqueArray(fc.tuple(name, fc.string({ maxLength: 40 })), { selector: ([n]) => n, maxLength: 12 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (url, params, token) => {
          const signature = twilioSignature(token, url, params);
          expect(twilio.validateRequest(token, signature, url, Object.fromEntries(params))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);
});

describe('isTwilioSignatureValid', () => {
  const body = 'From=%2B14155550123&Body=+green+&To=%2B15005550006&MessageSid=SM1';
  const params = formParams(body);
  const url = 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/votes/sms';
  const good = twilioSignature('token', url, params);

  it('accepts the signature of the request as sent', () => {
    expect(isTwilioSignatureValid('token', url, params, good)).toBe(true);
  });

  it.each([
    ['a missing signature', 'token', url, params, undefined],
    ['an empty signature', 'token', url, params, ''],
    ['another auth token', 'other', url, params, good],
    ['another URL', 'token', `${url}?x=1`, params, good],
    ['a changed parameter', 'token', url, formParams(body.replace('green', 'red')), good],
    ['an added parameter', 'token', url, formParams(`${body}&Extra=1`), good],
    ['a truncated signature', 'token', url, params, good.slice(0, -2)],
  ])('refuses %s', (_label, token, requestUrl, requestParams, signature) => {
    expect(isTwilioSignatureValid(token, requestUrl, requestParams, signature)).toBe(false);
  });
});
