import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { authHeaders } from '../support/auth.ts';
import { eventually, explainedByMapping, localCloud } from '../support/cloud.ts';
import type { NoteJson, SearchJson } from '../support/notes.ts';

const serviceDir = resolve(import.meta.dirname, '../..');
const unique = (label: string) => `e2e-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** Calls the local HTTP API as a user (a token in the Authorization header) or as nobody. */
async function api<T>(
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${localCloud().endpoints.http}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const search = async (headers: Record<string, string>, q: string) => {
  const response = await api<SearchJson>(headers, 'GET', `/notes/search?q=${encodeURIComponent(q)}`);
  expect(response.status).toBe(200);
  return response.body.notes.map((note) => note.noteId);
};

describe('mobile backend notes, end to end: token -> HTTP API (notesAuthorizer) -> Notes -> stream -> indexNotes -> search', () => {
  it("creates, reads, edits, searches and deletes a user's notes, which nobody else can read or find", async () => {
    // Alice signs in the way the README shows (npm run notes:token); Bob through the test helper.
    const token = (
      await promisify(execFile)(
        process.execPath,
        [join(serviceDir, 'scripts', 'notes-token.ts'), unique('alice'), '--console', localCloud().endpoints.console],
        { cwd: serviceDir, timeout: 60_000 },
      )
    ).stdout.trim();
    const alice = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const bob = await authHeaders(unique('bob'));

    const created = await api<NoteJson>(alice, 'POST', '/notes', {
      headline: 'Crème brûlée',
      text: 'Vanilla pods from the market, caramelise just before serving.',
    });
    expect(created.status).toBe(201);
    const { noteId } = created.body;
    const other = await api<NoteJson>(alice, 'POST', '/notes', { headline: 'Market list', text: 'vanilla, cream' });
    await api<NoteJson>(bob, 'POST', '/notes', { headline: 'Bob vanilla', text: 'his own' });

    expect(await api<NoteJson>(alice, 'GET', `/notes/${noteId}`)).toMatchObject({
      status: 200,
      body: { noteId, headline: 'Crème brûlée', version: 1 },
    });
    expect(await api(bob, 'GET', `/notes/${noteId}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'note_not_found' } },
    });

    // GET /notes/search is its own route, not GET /notes/{noteId} with noteId "search".
    await explainedByMapping(
      'indexNotes',
      eventually(async () => expect(await search(alice, 'creme brulee')).toEqual([noteId])),
    );
    await eventually(async () => expect(await search(alice, 'vanilla')).toEqual([other.body.noteId, noteId]));
    await eventually(async () => expect(await search(bob, 'vanilla')).toHaveLength(1));
    expect(await search(bob, 'creme')).toEqual([]);

    const edited = await api<NoteJson>(alice, 'PUT', `/notes/${noteId}`, {
      text: 'Tonka bean instead; caramelise just before serving.',
      version: 1,
    });
    expect(edited).toMatchObject({ status: 200, body: { version: 2 } });
    expect(await api(alice, 'PUT', `/notes/${noteId}`, { text: 'late edit', version: 1 })).toMatchObject({
      status: 409,
    });
    await eventually(async () => expect(await search(alice, 'tonka')).toEqual([noteId]));
    await eventually(async () => expect(await search(alice, 'vanilla')).toEqual([other.body.noteId]));

    expect((await api(alice, 'DELETE', `/notes/${noteId}`)).status).toBe(204);
    expect((await api(alice, 'GET', `/notes/${noteId}`)).status).toBe(404);
    await eventually(async () => expect(await search(alice, 'caramelise')).toEqual([]));
  });

  it('turns away requests without a valid token at the gateway, and bad searches with a 400', async () => {
    expect(
      (await api({ 'content-type': 'application/json' }, 'POST', '/notes', { headline: 'h', text: 't' })).status,
    ).toBe(401);
    expect((await api({ authorization: 'Bearer not-a-token' }, 'GET', '/notes/search?q=x')).status).toBe(401);
    const user = await authHeaders(unique('carol'));
    expect(await api(user, 'GET', '/notes/search?q=%3F%3F')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_query' } },
    });
    expect(await api(user, 'GET', '/notes/search?q=x&limit=1000')).toMatchObject({
      status: 400,
      body: { error: { details: { field: 'limit' } } },
    });
  });
});
