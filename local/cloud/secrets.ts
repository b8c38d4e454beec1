import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { narrowToOwner, writePrivateFile } from '../services/private-file.ts';

/** A secret of the stack as the local Secrets Manager serves it. */
export interface LocalSecret {
  name: string;
  arn: string;
  value: string;
}

/**
 * The stack's secrets, with local values generated once and kept in `.local/secrets.json` (owner-only)
 * under the secret's logical id in camelCase (`VoterHashKey` -> `voterHashKey`, `TwilioAuthToken` ->
 * `twilioAuthToken`), so e.g. SMS voter ids stay stable across restarts and a developer can put a real
 * value (say Twilio's auth token) in the file.
 */
export interface LocalSecretStore {
  /** Registers a secret resource of the template; its value is read or generated now. */
  add(logicalId: string, name: string, arn: string): LocalSecret;
  /** A secret by name, ARN (or ARN prefix, as Secrets Manager accepts a partial ARN). */
  find(id: string): LocalSecret | undefined;
  /** `{{resolve:secretsmanager:<name or ARN>}}`: the value, or an error naming the unknown secret. */
  value(id: string): string;
  /** PutSecretValue: a new value, kept in the file (functions see it when their cache expires). */
  set(id: string, value: string): LocalSecret;
  list(): LocalSecret[];
}

export function localSecretStore(file: string): LocalSecretStore {
  const values: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  narrowToOwner(file); // also when it was written before with wider permissions
  const secrets: LocalSecret[] = [];
  const save = () => {
    writePrivateFile(file, JSON.stringify(values, null, 2));
  };
  const keyOf = (logicalId: string) => logicalId[0]!.toLowerCase() + logicalId.slice(1);
  const keys = new Map<LocalSecret, string>();
  const find = (id: string) =>
    secrets.find((secret) => secret.name === id || secret.arn === id || secret.arn.startsWith(`${id}-`));
  return {
    add: (logicalId, name, arn) => {
      const key = keyOf(logicalId);
      if (!values[key]) {
        values[key] = randomBytes(32).toString('hex');
        save();
      }
      const secret = { name, arn, value: values[key] };
      secrets.push(secret);
      keys.set(secret, key);
      return secret;
    },
    find,
    value: (id) => {
      const secret = find(id);
      if (!secret) throw new Error(`no secret ${id} in the template`);
      return secret.value;
    },
    set: (id, value) => {
      const secret = find(id);
      if (!secret) throw new Error(`no secret ${id} in the template`);
      secret.value = value;
      values[keys.get(secret)!] = value;
      save();
      return secret;
    },
    list: () => [...secrets],
  };
}
