import { statSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localCloud } from '../../support/cloud.ts';
import { callNotes, createNote, notesEvent, uniqueUser, type NoteJson } from '../../support/notes.ts';

// The console and the HTTP API listen on 127.0.0.1, and no web page may drive them: a Host that is not
// a loopback name (DNS rebinding) is refused, and so is a state-changing console request from another
// origin (CSRF). Each bad request is sent; nothing it asked for happens.

interface Answer {
  status: number;
  body: string;
}

/** A request with exactly these headers (fetch would not send a forged Host). */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolveAnswer, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `${url.pathname}${url.search}`,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const consoleUrl = () => localCloud().endpoints.console;
const ownOrigin = () => new URL(consoleUrl()).origin;
const forbidden = (answer: Answer, code: string) => {
  expect(answer.status).toBe(403);
  expect(JSON.parse(answer.body)).toMatchObject({ error: { code, message: expect.any(String) } });
};

describe('the console refuses a foreign Host (DNS rebinding)', () => {
  it('refuses pages and /_local endpoints asked for by another host name, with or without a port', async () => {
    const port = new URL(consoleUrl()).port;
    for (const host of [`rebound.example:${port}`, 'rebound.example', `127.0.0.1.nip.example:${port}`]) {
      forbidden(await send(consoleUrl(), 'GET', '/console.html', { host }), 'forbidden_host');
      forbidden(await send(consoleUrl(), 'GET', '/_local/stats', { host }), 'forbidden_host');
    }
    forbidden(
      await send(
        consoleUrl(),
        'POST',
        '/_local/auth/token',
        { host: `rebound.example:${port}` },
        JSON.stringify({ user: 'mallory' }),
      ),
      'forbidden_host',
    );
  });

  it('serves loopback names', async () => {
    const port = new URL(consoleUrl()).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`]) {
      expect((await send(consoleUrl(), 'GET', '/console.html', { host })).status, host).toBe(200);
    }
  });

  it('the HTTP API refuses a foreign Host too, and serves loopback names', async () => {
    const api = localCloud().endpoints.http;
    const port = new URL(api).port;
    forbidden(await send(api, 'GET', '/results', { host: `rebound.example:${port}` }), 'forbidden_host');
    forbidden(
      await send(api, 'POST', '/votes', { host: 'rebound.example' }, JSON.stringify({ candidate: 'RED' })),
      'forbidden_host',
    );
    expect((await send(api, 'GET', '/results', { host: `localhost:${port}` })).status).toBe(200);
  });
});

describe('the console refuses state-changing requests from other origins (CSRF)', () => {
  it('POST /_local/invoke/deleteNote from another origin: 403, and the note is still there', async () => {
    const user = uniqueUser('csrf');
    const { status, body: note } = await createNote(user, {
      headline: 'keep me',
      text: 'a page of another origin must not delete this',
    });
    expect(status).toBe(201);
    const event = JSON.stringify(notesEvent('DELETE /notes/{noteId}', { user, noteId: note.noteId }));
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'http://127.0.0.1:1' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
    ] as Array<Record<string, string>>) {
      forbidden(await send(consoleUrl(), 'POST', '/_local/invoke/deleteNote', headers, event), 'forbidden_origin');
    }
    const after = await callNotes<NoteJson>('getNote', 'GET /notes/{noteId}', { user, noteId: note.noteId });
    expect(after.status).toBe(200);
    expect(after.body.headline).toBe('keep me');
  });

  it("POST /_local/auth/token from another origin: 403 and no token; from the console's own origin (or a tool, without Origin): a token", async () => {
    const refused = await send(
      consoleUrl(),
      'POST',
      '/_local/auth/token',
      { origin: 'https://evil.example' },
      JSON.stringify({ user: 'mallory' }),
    );
    forbidden(refused, 'forbidden_origin');
    expect(refused.body).not.toContain('token"');
    for (const headers of [
      { origin: ownOrigin(), 'sec-fetch-site': 'same-origin' },
      { origin: `http://localhost:${new URL(consoleUrl()).port}` },
      {},
    ] as Array<Record<string, string>>) {
      const minted = await send(consoleUrl(), 'POST', '/_local/auth/token', headers, JSON.stringify({ user: 'alice' }));
      expect(minted.status, JSON.stringify(headers)).toBe(200);
      expect(JSON.parse(minted.body)).toMatchObject({ token: expect.any(String) });
    }
  });

  it('POST /_local/services/redis/stop from another origin: 403, and Redis keeps running', async () => {
    const states = async () =>
      JSON.parse((await send(consoleUrl(), 'GET', '/_local/services', {})).body) as Record<string, string>;
    expect((await states()).redis).toBe('running');
    try {
      for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Array<
        Record<string, string>
      >) {
        forbidden(await send(consoleUrl(), 'POST', '/_local/services/redis/stop', headers), 'forbidden_origin');
        forbidden(await send(consoleUrl(), 'POST', '/_local/services/dynamodb/stop', headers), 'forbidden_origin');
      }
      expect(await states()).toMatchObject({ redis: 'running', dynamodb: 'running' });
    } finally {
      // Had a refusal failed, the other tests still get their services back.
      for (const [name, state] of Object.entries(await states()))
        if (state !== 'running') await send(consoleUrl(), 'POST', `/_local/services/${name}/start`, {});
    }
  });
});

describe("no page shows a password; files with secrets are the owner's only", () => {
  it('the endpoints the console gives pages have no Redis password', async () => {
    const { endpoints } = JSON.parse((await send(consoleUrl(), 'GET', '/_local/stats', {})).body) as {
      endpoints: Record<string, string>;
    };
    expect(new URL(localCloud().endpoints.redis).password).not.toBe(''); // the local cloud set one
    expect(endpoints.redis).toBe(`redis://${new URL(localCloud().endpoints.redis).host}`);
    const password = decodeURIComponent(new URL(localCloud().endpoints.redis).password);
    for (const path of ['/_local/stats', '/config.js', '/_local/services', '/console.html']) {
      expect((await send(consoleUrl(), 'GET', path, {})).body, path).not.toContain(password);
    }
  });

  it('.local/test/secrets.json and jwt-signing-key.json are 0600', () => {
    const stateDir = join(resolve(import.meta.dirname, '../../..'), '.local', 'test');
    for (const file of ['secrets.json', 'jwt-signing-key.json'])
      expect((statSync(join(stateDir, file)).mode & 0o777).toString(8), file).toBe('600');
  });
});
