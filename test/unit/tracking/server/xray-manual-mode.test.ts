import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../../..');

/** Whether the X-Ray SDK, loaded in a fresh process after `first` (if any), starts in automatic (async-hook) mode. */
async function automaticMode(first?: string): Promise<string> {
  const script = `${first ? `await import(${JSON.stringify(first)});` : ''} const xray = (await import('aws-xray-sdk-core')).default; console.log(xray.isAutomaticMode());`;
  const env = { ...process.env };
  delete env.AWS_XRAY_MANUAL_MODE;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env,
  });
  return stdout.trim();
}

// The tracking server sends no traces: its first import keeps the X-Ray SDK from hooking every promise.
describe('tracking server X-Ray mode', () => {
  it('loads the X-Ray SDK in manual mode after its first import', async () => {
    expect(await automaticMode(resolve(root, 'src/server/tracking/xray-manual-mode.ts'))).toBe('false');
  });

  it('(control) the SDK starts in automatic mode otherwise', async () => {
    expect(await automaticMode()).toBe('true');
  });
});
