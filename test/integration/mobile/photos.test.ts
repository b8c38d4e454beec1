import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { authHeaders, tokenFor, userIdFor } from '../../support/auth.ts';
import { localCloud, physicalId } from '../../support/cloud.ts';
import { s3 } from '../../support/files.ts';

interface UploadGrant {
  uploadUrl: string;
  key: string;
  expiresAt: string;
  headers: Record<string, string>;
}

const user = () => `photos-it-${process.pid}`;
const postPhotos = async (body: unknown, headers: Record<string, string>) => {
  const response = await fetch(`${localCloud().endpoints.http}/photos`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const image = (size: number) => Buffer.alloc(size, 0xab);

describe('POST /photos behind the notes JWT authorizer, through the local HTTP API', () => {
  it('answers 401 without a token, with a malformed one, and with a forged signature', async () => {
    expect(await postPhotos({ contentType: 'image/jpeg', size: 10 }, { 'content-type': 'application/json' })).toEqual({
      status: 401,
      body: { message: 'Unauthorized' },
    });
    expect(
      await postPhotos(
        { contentType: 'image/jpeg', size: 10 },
        { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
      ),
    ).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    const [header, payload] = (await tokenFor(user())).split('.');
    const forged = `${header}.${payload}.${Buffer.from('forged signature').toString('base64url')}`;
    expect(
      (
        await postPhotos(
          { contentType: 'image/jpeg', size: 10 },
          { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
        )
      ).status,
    ).toBe(401);
  });

  it("grants a 5-minute upload URL under the caller's prefix, and the upload stores the declared image", async () => {
    const { status, body } = await postPhotos({ contentType: 'image/png', size: 2048 }, await authHeaders(user()));
    expect(status).toBe(201);
    const grant = body as unknown as UploadGrant;
    expect(grant.key).toMatch(new RegExp(`^photos/${userIdFor(user())}/[0-9a-f-]{36}\\.png$`));
    expect(grant.headers).toEqual({ 'Content-Type': 'image/png', 'Content-Length': '2048' });
    const url = new URL(grant.uploadUrl);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    // expiresAt is exactly when S3 stops taking the URL: signing time (X-Amz-Date) + 300 s.
    const signedAt = Date.parse(
      url.searchParams.get('X-Amz-Date')!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(Date.parse(grant.expiresAt)).toBe(signedAt + 300_000);

    const upload = await fetch(grant.uploadUrl, { method: 'PUT', headers: grant.headers, body: image(2048) });
    expect(upload.status).toBe(200);
    const stored = await s3().send(new GetObjectCommand({ Bucket: physicalId('PhotosBucket'), Key: grant.key }));
    expect(stored.ContentType).toBe('image/png');
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(image(2048));
  });

  it('keeps different users apart: each gets its own prefix', async () => {
    const grant = async (name: string) =>
      (await postPhotos({ contentType: 'image/jpeg', size: 1 }, await authHeaders(name)))
        .body as unknown as UploadGrant;
    const [alice, bob] = await Promise.all([grant(`${user()}-alice`), grant(`${user()}-bob`)]);
    expect(alice.key.split('/')[1]).toBe(userIdFor(`${user()}-alice`));
    expect(bob.key.split('/')[1]).toBe(userIdFor(`${user()}-bob`));
  });

  it('refuses non-images with 415, bad sizes with 400 and a body that is not JSON', async () => {
    const headers = await authHeaders(user());
    expect(await postPhotos({ contentType: 'image/svg+xml', size: 10 }, headers)).toMatchObject({
      status: 415,
      body: {
        error: {
          code: 'unsupported_photo_type',
          details: { accepted: expect.arrayContaining(['image/jpeg', 'image/heic']) },
        },
      },
    });
    expect(await postPhotos({ contentType: 'image/jpeg', size: 10 * 1024 * 1024 + 1 }, headers)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_photo_size', details: { maxBytes: 10 * 1024 * 1024 } } },
    });
    expect(await postPhotos({ contentType: 'image/jpeg', size: 0 }, headers)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_photo_size' } },
    });
    expect(await postPhotos({ contentType: 'image/jpeg' }, headers)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    expect(
      await postPhotos('size=1', { ...headers, 'content-type': 'application/x-www-form-urlencoded' }),
    ).toMatchObject({ status: 415 });
  });

  // s3rver checks a presigned URL's expiry but not its SigV4 signature (its source says V4 signature
  // calculation is unimplemented), so a PUT of another type or size is NOT refused locally. What makes S3
  // refuse it is that both headers are signed — asserted above (X-Amz-SignedHeaders) and in the adapter's
  // unit test (another type or size gives another signature).
});

describe("the console's local token endpoint", () => {
  const mint = (body: string) =>
    fetch(`${localCloud().endpoints.console}/_local/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  it('mints an hour-long token for a user name and refuses a missing or spaced one', async () => {
    const ok = await mint(JSON.stringify({ user: 'carol' }));
    const { token, expiresAt } = (await ok.json()) as { token: string; expiresAt: string };
    expect(token.split('.')).toHaveLength(3);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);
    for (const bad of ['{}', '{"user":""}', '{"user":"a b"}', '{"user":42}', 'not json'])
      expect((await mint(bad)).status).toBe(400);
  });

  it('puts the requested groups in cognito:groups, and refuses groups that are not a list of names', async () => {
    const claims = async (body: unknown) => {
      const { token } = (await (await mint(JSON.stringify(body))).json()) as { token: string };
      return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    };
    expect(await claims({ user: 'olga', groups: ['operators', 'operators', 'admins'] })).toMatchObject({
      'cognito:groups': ['operators', 'admins'],
    });
    expect(await claims({ user: 'olga', groups: [] })).not.toHaveProperty('cognito:groups');
    for (const groups of ['operators', [''], ['a b'], [42], Array.from({ length: 26 }, (_, i) => `g${i}`)]) {
      const refused = await mint(JSON.stringify({ user: 'olga', groups }));
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        error: { code: 'invalid_request', message: expect.stringContaining('groups') },
      });
    }
  });
});
