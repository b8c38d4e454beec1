// `npm run compliance [-- --template FILE] [--write]`
// Packages the prod stage (or reads a packaged template), validates it with cfn-guard against the AWS Control
// Tower proactive-control rules of @cdklabs/cdk-validator-cfnguard, applies the template's suppressions
// (Metadata.Compliance, each with a reason), prints a summary and, with --write, writes docs/compliance.md.
// Exits 1 when a finding is neither fixed nor suppressed, or a suppression matches nothing.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { complianceMarkdown } from './lib/compliance.ts';
import { checkCompliance } from './lib/guard.ts';
import { fail } from './lib/local-cloud.ts';

const serviceDir = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { template: { type: 'string' }, write: { type: 'boolean' } } });

const report = await checkCompliance(serviceDir, values.template).catch((error: Error) => fail(error.message));
console.log(
  `cfn-guard, Control Tower proactive controls: ${report.rulesApplied} rules applied, ${report.passed.length} passed, ` +
    `${report.notApplicable} not applicable, ${report.suppressed.length} findings suppressed with a reason, ${report.failures.length} failing`,
);
for (const finding of report.suppressed)
  console.log(`  suppressed ${finding.control} ${finding.rule} on ${finding.resource}: ${finding.reason}`);
for (const finding of report.failures)
  console.log(
    `  FAIL ${finding.control} ${finding.rule} on ${finding.resource} (${finding.resourceType}): ${finding.requirement}`,
  );
for (const stale of report.unused)
  console.log(`  UNUSED suppression of ${stale.rule} on ${stale.where}: remove it or fix the rule name`);
if (values.write) {
  const file = join(serviceDir, 'docs', 'compliance.md');
  writeFileSync(
    file,
    complianceMarkdown(report, 'npm run compliance -- --write', new Date().toISOString().slice(0, 10)),
  );
  console.log(`written ${file}`);
}
if (report.failures.length > 0 || report.unused.length > 0) process.exitCode = 1;
