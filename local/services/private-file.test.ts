import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localSigningKey } from '../cloud/jwt-authorizer.ts';
import { localSecretStore } from '../cloud/secrets.ts';
import { writePrivateFile } from './private-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'refarch-private-'));
  dirs.push(dir);
  return dir;
};
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

describe('files with secrets are readable by their owner only', () => {
  it('writePrivateFile (endpoints.json) creates 0600 files and narrows an existing world-readable one', () => {
    const dir = folder();
    writePrivateFile(join(dir, 'new', 'endpoints.json'), '{}');
    expect(mode(join(dir, 'new', 'endpoints.json'))).toBe('600');
    const old = join(dir, 'endpoints.json');
    writeFileSync(old, '{}', { mode: 0o644 });
    expect(mode(old)).toBe('644');
    writePrivateFile(old, '{"redis":"redis://:secret@127.0.0.1:1"}');
    expect(mode(old)).toBe('600');
  });

  it('secrets.json: created 0600, and an existing 0644 one is narrowed when the store opens it', () => {
    const dir = folder();
    localSecretStore(join(dir, 'secrets.json')).add(
      'VoterHashKey',
      'n',
      'arn:aws:secretsmanager:us-east-1:000000000000:secret:n-abc',
    );
    expect(mode(join(dir, 'secrets.json'))).toBe('600');
    const old = join(dir, 'old-secrets.json');
    writeFileSync(old, JSON.stringify({ voterHashKey: 'kept' }), { mode: 0o644 });
    const secret = localSecretStore(old).add(
      'VoterHashKey',
      'n',
      'arn:aws:secretsmanager:us-east-1:000000000000:secret:n-abc',
    );
    expect(secret.value).toBe('kept');
    expect(mode(old)).toBe('600');
  });

  it('jwt-signing-key.json: created 0600, and an existing 0644 one is narrowed when it is read', async () => {
    const dir = folder();
    const file = join(dir, 'jwt-signing-key.json');
    await localSigningKey(file);
    expect(mode(file)).toBe('600');
    chmodSync(file, 0o644);
    await localSigningKey(file);
    expect(mode(file)).toBe('600');
  });
});
