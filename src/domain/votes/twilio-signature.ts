import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's webhook signature (X-Twilio-Signature): base64 of HMAC-SHA1, keyed with the account's auth
 * token, over the full URL Twilio called followed by every POST parameter sorted by name, each name
 * then its value, with nothing between them. A name sent with several values contributes each distinct
 * value, in order of value (as Twilio's own libraries compute it).
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const [name, value] of sortedParams(params)) hmac.update(name, 'utf8').update(value, 'utf8');
  return hmac.digest('base64');
}

/** Whether `signature` is Twilio's for this request, compared in constant time. */
export function isTwilioSignatureValid(
  authToken: string,
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Form parameters of a raw `application/x-www-form-urlencoded` body, as sent (names may repeat). */
export function formParams(body: string): Array<[string, string]> {
  return [...new URLSearchParams(body)];
}

function sortedParams(params: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const distinct = new Map(params.map(([name, value]) => [JSON.stringify([name, value]), [name, value] as const]));
  return [...distinct.values()].sort(
    ([nameA, valueA], [nameB, valueB]) => byCodeUnit(nameA, nameB) || byCodeUnit(valueA, valueB),
  );
}
