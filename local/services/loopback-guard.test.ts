import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, refusal } from './loopback-guard.ts';

const request = (method: string, headers: Record<string, string>) =>
  ({ method, headers }) as unknown as IncomingMessage;

describe("the local cloud servers' request guard", () => {
  it('accepts loopback names in Host, with or without a port, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:3001', 'localhost', 'LOCALHOST:3001', '[::1]', '[::1]:3001'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [
      undefined,
      '',
      'evil.example',
      'evil.example:3001',
      '127.0.0.1.evil.example',
      'localhost.evil.example:3001',
      '10.0.0.5:3001',
      '0.0.0.0:3001',
      '127.0.0.1:3001@evil',
      '::1',
    ]) {
      expect(isLoopbackHost(host), String(host)).toBe(false);
    }
  });

  it('refuses a foreign Host on any method', () => {
    expect(refusal(request('GET', { host: 'rebound.example:3001' }), 3001)).toMatchObject({ code: 'forbidden_host' });
    expect(refusal(request('GET', {}))).toMatchObject({ code: 'forbidden_host' });
  });

  it("refuses state-changing requests from another origin or cross-site, and serves tools and the page's own", () => {
    const host = '127.0.0.1:3001';
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expect(refusal(request(method, { host, origin: 'https://evil.example' }), 3001), method).toMatchObject({
        code: 'forbidden_origin',
      });
      expect(refusal(request(method, { host, origin: 'http://127.0.0.1:3000' }), 3001), method).toMatchObject({
        code: 'forbidden_origin',
      });
      expect(refusal(request(method, { host, origin: 'null' }), 3001), method).toMatchObject({
        code: 'forbidden_origin',
      });
      expect(refusal(request(method, { host, 'sec-fetch-site': 'cross-site' }), 3001), method).toMatchObject({
        code: 'forbidden_origin',
      });
    }
    expect(refusal(request('POST', { host }), 3001)).toBeUndefined();
    expect(
      refusal(request('POST', { host, origin: 'http://127.0.0.1:3001', 'sec-fetch-site': 'same-origin' }), 3001),
    ).toBeUndefined();
    expect(refusal(request('POST', { host: 'localhost:3001', origin: 'http://localhost:3001' }), 3001)).toBeUndefined();
    // Reading is not guarded by Origin (the browser keeps another origin from reading the answer).
    expect(refusal(request('GET', { host, origin: 'https://evil.example' }), 3001)).toBeUndefined();
  });
});
