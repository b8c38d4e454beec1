import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { localCloud } from '../support/cloud.ts';

const serviceDir = resolve(import.meta.dirname, '../..');
const notesToken = async (...args: string[]) =>
  (
    await promisify(execFile)(
      process.execPath,
      [join(serviceDir, 'scripts', 'notes-token.ts'), ...args, '--console', localCloud().endpoints.console],
      { cwd: serviceDir, timeout: 60_000 },
    )
  ).stdout.trim();

describe('mobile backend sign-in, end to end: npm run notes:token -> POST /photos -> PUT to the photos bucket', () => {
  it('gets a token from the script and uploads a photo with it, as the README shows', async () => {
    const token = await notesToken(`e2e-${process.pid}`);
    const granted = await fetch(`${localCloud().endpoints.http}/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contentType: 'image/jpeg', size: 3 }),
    });
    expect(granted.status).toBe(201);
    const { uploadUrl, headers } = (await granted.json()) as { uploadUrl: string; headers: Record<string, string> };
    expect((await fetch(uploadUrl, { method: 'PUT', headers, body: new Uint8Array([0xff, 0xd8, 0xff]) })).status).toBe(
      200,
    );
  });

  it('prints the token and its expiry as JSON with --json, and the usage without a user', async () => {
    const printed = JSON.parse(await notesToken('alice', '--json')) as { token: string; expiresAt: string };
    expect(printed.token.split('.')).toHaveLength(3);
    expect(Date.parse(printed.expiresAt)).toBeGreaterThan(Date.now());
    await expect(notesToken()).rejects.toMatchObject({
      stderr: expect.stringContaining('usage: npm run notes:token -- <user>'),
    });
  });
});
