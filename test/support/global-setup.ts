import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalCloud } from '@refarch/local-cloud';
import type { LocalCloudInfo } from './cloud.ts';

/**
 * Starts the local cloud once for the integration, e2e and browser tests — the same way `npm start`
 * does, on free ports and its own state folder so a running `npm start` is not disturbed.
 * Function logs go to .local/test/functions.log.
 */
export default async function setup(project: TestProject) {
  const serviceDir = resolve(import.meta.dirname, '../..');
  const stateDir = join(serviceDir, '.local', 'test');
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, 'functions.log');
  rmSync(logFile, { force: true });
  const cloud = await startLocalCloud({
    serviceDir,
    stateDir,
    stage: 'test',
    onLog: (name, line) => appendFileSync(logFile, `[${name}] ${line}\n`),
    asyncRetryDelaysMs: [200, 400],
  });
  const info: LocalCloudInfo = {
    endpoints: cloud.endpoints,
    stackName: cloud.model.stackName,
    resources: Object.fromEntries(
      cloud.model.resources.map((r) => [r.logicalId, { type: r.type, physicalId: r.physicalId, arn: r.arn }]),
    ),
    functions: Object.fromEntries(
      cloud.model.functions.map((f) => [
        f.name,
        { physicalName: f.physicalName, environment: cloud.functionEnvironment(f.name) },
      ]),
    ),
  };
  project.provide('localCloud', info);
  return async () => {
    await cloud.stop();
  };
}
