import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The subset of a CloudFormation template the local cloud reads. */
export interface Template {
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown }>;
  Conditions?: Record<string, unknown>;
}
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  /** A condition of the template: the resource exists only when it holds. */
  Condition?: string;
}

const require = createRequire(import.meta.url);

/**
 * Runs `serverless package` for the service so that what runs locally is what would deploy,
 * and returns the generated CloudFormation template.
 */
/** Long-running processes of the service that the local cloud starts too (serverless.yml custom.localCloud.servers). */
export interface LocalServerSpec {
  name: string;
  entry: string;
  environmentOf: string;
}

export async function packageService(
  serviceDir: string,
  stage: string,
  outputDir: string,
): Promise<{ template: Template; stackName: string; servers: LocalServerSpec[] }> {
  const cli = require.resolve('osls/bin/serverless.js');
  try {
    await promisify(execFile)(process.execPath, [cli, 'package', '--stage', stage, '--package', outputDir], {
      cwd: serviceDir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed in ${serviceDir}:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
  const template = JSON.parse(
    await readFile(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  const state = JSON.parse(await readFile(join(outputDir, 'serverless-state.json'), 'utf8')) as {
    service: { service: string; custom?: { localCloud?: { servers?: LocalServerSpec[] } } };
  };
  return {
    template,
    stackName: `${state.service.service}-${stage}`,
    servers: state.service.custom?.localCloud?.servers ?? [],
  };
}

export function resourcesOfType(template: Template, type: string): Array<[string, TemplateResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
