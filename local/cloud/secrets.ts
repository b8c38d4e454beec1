import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Local values for `{{resolve:secretsmanager:...}}` references: generated once and kept in
 * .local/secrets.json, so e.g. SMS voter ids stay stable across restarts of `npm start`.
 */
export function localSecrets(file: string): (id: string) => string {
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  return (id) => {
    if (!secrets[id]) {
      secrets[id] = randomBytes(32).toString('hex');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    }
    return secrets[id];
  };
}
