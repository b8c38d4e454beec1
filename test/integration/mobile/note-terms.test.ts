import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DISTINCT_TERMS } from '../../../src/domain/mobile/note.ts';
import { authHeaders, userIdFor } from '../../support/auth.ts';
import { awsConfig, localCloud, physicalId } from '../../support/cloud.ts';
import { uniqueUser, type NoteJson } from '../../support/notes.ts';

type ErrorJson = { error: { code: string; message: string; details?: unknown } };

/** A text of exactly n distinct search terms (w0 w1 ...). */
const termsText = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${from + i}`).join(' ');

async function api<T>(
  user: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${localCloud().endpoints.http}${path}`, {
    method,
    headers: await authHeaders(user),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

describe(`notes with more than ${MAX_DISTINCT_TERMS} distinct search terms (through the local HTTP API)`, () => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
  afterAll(() => documents.destroy());

  /** Every Notes item of a user (the partition of the token's sub). */
  const notesOf = async (user: string) =>
    (
      await documents.send(
        new QueryCommand({
          TableName: physicalId('Notes'),
          KeyConditionExpression: 'UserId = :user',
          ExpressionAttributeValues: { ':user': userIdFor(user) },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  it('refuses POST /notes with 400 too_many_terms and writes nothing', async () => {
    const user = uniqueUser('terms-post');
    const refused = await api<ErrorJson>(user, 'POST', '/notes', {
      headline: 'Word wall',
      text: termsText(MAX_DISTINCT_TERMS),
    });
    // The headline's two terms make it MAX + 2.
    expect(refused).toEqual({
      status: 400,
      body: {
        error: {
          code: 'too_many_terms',
          message: expect.stringContaining(`at most ${MAX_DISTINCT_TERMS}`),
          details: { terms: MAX_DISTINCT_TERMS + 2, limit: MAX_DISTINCT_TERMS },
        },
      },
    });
    expect(await notesOf(user)).toEqual([]);

    // At the limit, and with repeats (terms are counted once), a note is taken.
    const atLimit = await api<NoteJson>(user, 'POST', '/notes', {
      headline: 'w0 w1',
      text: `${termsText(MAX_DISTINCT_TERMS)} ${termsText(MAX_DISTINCT_TERMS)}`,
    });
    expect(atLimit.status).toBe(201);
    expect(await notesOf(user)).toHaveLength(1);
  });

  it('refuses PUT /notes/{noteId} when the edited note, merged with what it keeps, has too many terms; the note is unchanged', async () => {
    const user = uniqueUser('terms-put');
    const created = await api<NoteJson>(user, 'POST', '/notes', { headline: 'alpha beta gamma', text: 'short' });
    expect(created.status).toBe(201);
    const path = `/notes/${created.body.noteId}`;

    // The new text alone is within the limit; with the kept headline it is 3 over.
    const textOnly = await api<ErrorJson>(user, 'PUT', path, { text: termsText(MAX_DISTINCT_TERMS), version: 1 });
    expect(textOnly).toMatchObject({
      status: 400,
      body: { error: { code: 'too_many_terms', details: { terms: MAX_DISTINCT_TERMS + 3 } } },
    });
    const both = await api<ErrorJson>(user, 'PUT', path, { headline: 'h', text: termsText(MAX_DISTINCT_TERMS) });
    expect(both).toMatchObject({
      status: 400,
      body: { error: { code: 'too_many_terms', details: { terms: MAX_DISTINCT_TERMS + 1 } } },
    });
    expect(await api<NoteJson>(user, 'GET', path)).toEqual({ status: 200, body: created.body });

    // Within the limit once merged: taken.
    const fits = await api<NoteJson>(user, 'PUT', path, { text: termsText(MAX_DISTINCT_TERMS - 3), version: 1 });
    expect(fits).toMatchObject({ status: 200, body: { headline: 'alpha beta gamma', version: 2 } });
  });

  it('still refuses an edit of a note that is gone (404) and at a stale version (409) before counting terms', async () => {
    const user = uniqueUser('terms-order');
    expect(
      (await api<ErrorJson>(user, 'PUT', '/notes/00000000-0000-4000-8000-000000000000', { text: 'x' })).status,
    ).toBe(404);
    const { body: note } = await api<NoteJson>(user, 'POST', '/notes', { headline: 'Plan', text: 'v1' });
    await api<NoteJson>(user, 'PUT', `/notes/${note.noteId}`, { text: 'v2' });
    expect(await api<ErrorJson>(user, 'PUT', `/notes/${note.noteId}`, { text: 'v3', version: 1 })).toMatchObject({
      status: 409,
      body: { error: { code: 'version_conflict', details: { currentVersion: 2 } } },
    });
  });

  it('merges concurrent one-field edits without a version against the note each was checked with: every edit applied or refused as contended', async () => {
    const user = uniqueUser('terms-race');
    const { body: note } = await api<NoteJson>(user, 'POST', '/notes', { headline: 'Race', text: 'start' });
    await api<NoteJson>(user, 'PUT', `/notes/${note.noteId}`, { text: 'warm' }); // a warm function: the race, not cold starts
    const edits = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        api<NoteJson & ErrorJson>(
          user,
          'PUT',
          `/notes/${note.noteId}`,
          i % 2 ? { text: `text ${i}` } : { headline: `headline ${i}` },
        ),
      ),
    );
    for (const edit of edits) {
      if (edit.status !== 200) expect(edit).toMatchObject({ status: 409, body: { error: { code: 'edit_contended' } } });
    }
    const applied = edits.filter((edit) => edit.status === 200).length;
    expect(applied).toBeGreaterThan(0);
    // Each applied edit bumped the version once: none was lost or applied twice.
    expect((await api<NoteJson>(user, 'GET', `/notes/${note.noteId}`)).body.version).toBe(2 + applied);
  });
});
