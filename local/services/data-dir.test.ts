import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDataDir, removeDataDir } from './data-dir.ts';

describe('service data folders', () => {
  it('are empty when made, and leave nothing behind once every service of the cloud removed its own', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'refarch-state-'));
    const dynamodb = freshDataDir(stateDir, 'dynamodb');
    writeFileSync(join(dynamodb, 'old.db'), 'stale');
    expect(freshDataDir(stateDir, 'dynamodb')).toBe(dynamodb);
    expect(existsSync(join(dynamodb, 'old.db'))).toBe(false);
    const redis = freshDataDir(stateDir, 'redis');

    removeDataDir(dynamodb);
    expect(existsSync(dynamodb)).toBe(false);
    expect(existsSync(redis)).toBe(true);
    removeDataDir(redis);
    expect(existsSync(join(redis, '..'))).toBe(false);
  });
});
