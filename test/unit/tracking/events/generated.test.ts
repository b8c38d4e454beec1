import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, GENERATED_DIR } from '../../../../src/proto/generate.ts';

const fresh = mkdtempSync(join(tmpdir(), 'proto-'));
beforeAll(() => generate(fresh));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('generated protobuf code', () => {
  it.each(['tracking.js', 'tracking.d.ts'])('src/proto/generated/%s is what `npm run proto` makes of tracking.proto', (file) => {
    expect(readFileSync(join(GENERATED_DIR, file), 'utf8'), 'stale generated code: run `npm run proto`').toBe(readFileSync(join(fresh, file), 'utf8'));
  });
});
