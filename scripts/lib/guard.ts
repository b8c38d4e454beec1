// Runs the cfn-guard binary that @cdklabs/cdk-validator-cfnguard ships, on the packaged prod template.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { packageService, type Template } from '@refarch/local-cloud';
import { applySuppressions, guardFindings, type ComplianceReport } from './compliance.ts';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
export const RULES_DIR = join(packageDir, 'rules', 'control-tower', 'cfn-guard');

/** The binary for this machine: the package ships ubuntu (Linux) and macos builds for x86_64 and aarch64. */
export function guardBinary(platform = process.platform, arch = process.arch): string {
  const os = platform === 'darwin' ? 'macos' : platform === 'linux' ? 'ubuntu' : undefined;
  const cpu = arch === 'x64' ? 'x86_64' : arch === 'arm64' ? 'aarch64' : undefined;
  if (!os || !cpu) throw new Error(`cfn-guard is not shipped for ${platform}/${arch}`);
  return join(packageDir, 'bin', os, cpu, 'cfn-guard');
}

/** Validates a packaged template file (or packages the prod stage first) and applies its suppressions. */
export async function checkCompliance(serviceDir: string, templateFile?: string): Promise<ComplianceReport> {
  const file = templateFile ?? (await packageProd(serviceDir));
  const template = JSON.parse(await readFile(file, 'utf8')) as Template;
  const output = await runGuard(file);
  const { findings, passed, notApplicable } = guardFindings(output, template);
  const failingRules = new Set(findings.map((f) => f.rule));
  return {
    rulesApplied: passed.length + failingRules.size + notApplicable,
    passed,
    notApplicable,
    ...applySuppressions(findings, template),
  };
}

async function packageProd(serviceDir: string): Promise<string> {
  const outputDir = join(serviceDir, '.local', 'prod-package');
  await packageService(serviceDir, 'prod', outputDir);
  return join(outputDir, 'cloudformation-template-update-stack.json');
}

async function runGuard(templateFile: string): Promise<unknown> {
  const args = [
    'validate',
    '--rules',
    RULES_DIR,
    '--data',
    templateFile,
    '--output-format',
    'json',
    '--show-summary',
    'none',
    '--structured',
  ];
  // Exit code 19 means "some rule failed": the JSON still says which.
  const { stdout } = await promisify(execFile)(guardBinary(), args, { maxBuffer: 256 * 1024 * 1024 }).catch(
    (error: { code?: number; stdout?: string; stderr?: string }) => {
      if (error.code === 19 && error.stdout) return { stdout: error.stdout };
      throw new Error(`cfn-guard failed (exit ${error.code}): ${error.stderr ?? ''}`);
    },
  );
  return JSON.parse(stdout) as unknown;
}
