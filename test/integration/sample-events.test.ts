import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeFunction, localCloud } from '../support/cloud.ts';

// Every sample event in events/ is what `npm run invoke -- <function> events/<file>` sends: each must
// run on the local cloud without an error (and, for HTTP events, without a 5xx).
const eventsDir = resolve(import.meta.dirname, '../../events');
const files = readdirSync(eventsDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

function functionFor(file: string): string {
  const names = Object.keys(localCloud().functions).sort((a, b) => b.length - a.length);
  const name = names.find((candidate) => file === `${candidate}.json` || file.startsWith(`${candidate}-`));
  if (!name) throw new Error(`events/${file} names no function (expected <function>.json or <function>-<case>.json)`);
  return name;
}

/** A sample event as `npm run invoke` sends it, its dev-stage resource names (refarch-dev-…) mapped to this stage's. */
function sampleEvent(file: string): unknown {
  const text = readFileSync(join(eventsDir, file), 'utf8');
  return JSON.parse(text.replaceAll('refarch-dev-', `${localCloud().stackName}-`));
}

describe('sample events', () => {
  it('exist for every function', () => {
    const covered = new Set(files.map(functionFor));
    expect(Object.keys(localCloud().functions).filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(files)('events/%s runs with its function', async (file) => {
    const result = await invokeFunction(functionFor(file), sampleEvent(file));
    expect(result).toMatchObject({ ok: true });
    const payload = (result as { payload: unknown }).payload as { statusCode?: number } | null;
    if (payload && typeof payload === 'object' && 'statusCode' in payload) expect(payload.statusCode).toBeLessThan(500);
  });
});
