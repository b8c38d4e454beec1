// Reading cfn-guard's results on the packaged template and applying the template's own suppressions.
// A suppression lives in the template's metadata, always with a one-line reason:
//   per resource   Resources.<Id>.Metadata.Compliance.<rule>: <reason>
//   per type       Metadata.Compliance.<ResourceType>.<rule>: <reason>   (top level, e.g. every Lambda function)
import type { Template } from '@refarch/local-cloud';

/** One resource failing one rule. */
export interface Finding {
  rule: string;
  /** The Control Tower control, e.g. CT.S3.PR.1. */
  control: string;
  /** What the control requires, from the rule's message. */
  requirement: string;
  resource: string;
  resourceType: string;
}

export interface SuppressedFinding extends Finding {
  reason: string;
}

export interface ComplianceReport {
  rulesApplied: number;
  passed: string[];
  notApplicable: number;
  failures: Finding[];
  suppressed: SuppressedFinding[];
  /** Suppressions that name no failure: stale, or a typo in a rule name. */
  unused: Array<{ where: string; rule: string }>;
}

interface GuardRuleResult {
  Rule?: { name: string };
  name?: string;
}
interface GuardFileResult {
  not_compliant?: GuardRuleResult[];
  compliant?: Array<string | GuardRuleResult>;
  not_applicable?: Array<string | GuardRuleResult>;
}

const nameOf = (entry: string | GuardRuleResult) =>
  typeof entry === 'string' ? entry : (entry.Rule?.name ?? entry.name ?? '');

/** The findings in cfn-guard's `-o json -z` output for one template. */
export function guardFindings(
  output: unknown,
  template: Template,
): { findings: Finding[]; passed: string[]; notApplicable: number } {
  const file = (Array.isArray(output) ? output[0] : output) as GuardFileResult;
  const findings: Finding[] = [];
  for (const result of file.not_compliant ?? []) {
    const rule = nameOf(result);
    const { control, requirement } = controlOf(result);
    for (const resource of resourcesIn(result)) {
      findings.push({
        rule,
        control,
        requirement,
        resource,
        resourceType: template.Resources[resource]?.Type ?? 'unknown',
      });
    }
  }
  return {
    findings: uniqueFindings(findings),
    passed: [...new Set((file.compliant ?? []).map(nameOf))].sort(),
    notApplicable: new Set((file.not_applicable ?? []).map(nameOf)).size,
  };
}

/** Splits findings into failures and suppressed ones, and lists suppressions that matched nothing. */
export function applySuppressions(
  findings: readonly Finding[],
  template: Template & { Metadata?: unknown },
): Pick<ComplianceReport, 'failures' | 'suppressed' | 'unused'> {
  const byType = reasonsTable((template.Metadata as { Compliance?: unknown } | undefined)?.Compliance);
  const used = new Set<string>();
  const failures: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const own = reasonsOf(
      (template.Resources[finding.resource] as { Metadata?: { Compliance?: unknown } } | undefined)?.Metadata
        ?.Compliance,
    )[finding.rule];
    const typeWide = reasonsOf(byType[finding.resourceType])[finding.rule];
    const reason = own ?? typeWide;
    if (reason) {
      used.add(own ? `${finding.resource}/${finding.rule}` : `${finding.resourceType}/${finding.rule}`);
      suppressed.push({ ...finding, reason });
    } else {
      failures.push(finding);
    }
  }
  const declared = [
    ...Object.entries(template.Resources).flatMap(([id, resource]) =>
      Object.keys(reasonsOf((resource as { Metadata?: { Compliance?: unknown } }).Metadata?.Compliance)).map(
        (rule) => ({ where: id, rule }),
      ),
    ),
    ...Object.entries(byType).flatMap(([type, rules]) =>
      Object.keys(reasonsOf(rules)).map((rule) => ({ where: type, rule })),
    ),
  ];
  return { failures, suppressed, unused: declared.filter(({ where, rule }) => !used.has(`${where}/${rule}`)) };
}

/** docs/compliance.md: what was applied, what passed, what is suppressed and why, what still fails. */
export function complianceMarkdown(report: ComplianceReport, command: string, date: string): string {
  const rows = groupByRule(report.suppressed).map(
    ({ rule, control, requirement, resources, reason }) =>
      `| ${control} | \`${rule}\` | ${requirement} | ${resources.join(', ')} | ${reason} |`,
  );
  const failing = groupByRule(report.failures).map(
    ({ rule, control, requirement, resources }) =>
      `| ${control} | \`${rule}\` | ${requirement} | ${resources.join(', ')} |`,
  );
  return [
    '# Compliance of the deployable template',
    '',
    `Generated ${date} by \`${command}\`: the \`prod\` stage is packaged with \`serverless package\`, and the generated`,
    'CloudFormation is validated with cfn-guard against the AWS Control Tower proactive-control rules shipped in',
    '`@cdklabs/cdk-validator-cfnguard`. A failure is either fixed in `serverless.yml`/`infra/`, or suppressed in',
    "the template's metadata (`Metadata.Compliance`, per resource or per resource type) with the reason below.",
    '',
    '| rules | count |',
    '|---|---:|',
    `| applied | ${report.rulesApplied} |`,
    `| passed | ${report.passed.length} |`,
    `| not applicable (no such resources) | ${report.notApplicable} |`,
    `| suppressed with a reason (rule × resource) | ${report.suppressed.length} in ${groupByRule(report.suppressed).length} rules |`,
    `| failing | ${report.failures.length} |`,
    '',
    '## Suppressed, with reasons',
    '',
    '| control | rule | requires | resources | reason |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...(failing.length
      ? ['## Failing', '', '| control | rule | requires | resources |', '|---|---|---|---|', ...failing, '']
      : []),
    '## Passed',
    '',
    report.passed.map((rule) => `\`${rule}\``).join(', '),
    '',
  ].join('\n');
}

function groupByRule<T extends Finding & { reason?: string }>(findings: readonly T[]) {
  const groups = new Map<
    string,
    { rule: string; control: string; requirement: string; resources: string[]; reason?: string }
  >();
  for (const finding of findings) {
    const key = `${finding.rule}\u0000${finding.reason ?? ''}`;
    const group = groups.get(key) ?? {
      rule: finding.rule,
      control: finding.control,
      requirement: finding.requirement,
      resources: [],
      reason: finding.reason,
    };
    group.resources.push(finding.resource);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => a.control.localeCompare(b.control, 'en', { numeric: true }) || a.rule.localeCompare(b.rule),
  );
}

function reasonsTable(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** `{rule: reason}` entries with a non-empty one-line reason; anything else is not a suppression. */
function reasonsOf(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(reasonsTable(value)).filter(
      (entry): entry is [string, string] =>
        typeof entry[1] === 'string' && entry[1].trim().length > 0 && !entry[1].includes('\n'),
    ),
  );
}

function controlOf(result: unknown): { control: string; requirement: string } {
  const text = JSON.stringify(result);
  const match = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]: ([^\\"]+)/.exec(text);
  return match ? { control: match[1]!, requirement: match[2]!.trim() } : { control: '?', requirement: '' };
}

/** Logical ids of the resources a rule result points at (`/Resources/<Id>/...` paths). */
function resourcesIn(result: unknown): string[] {
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'path' && typeof child === 'string') {
          const id = /^\/Resources\/([^/]+)/.exec(child)?.[1];
          if (id) ids.add(id);
        } else walk(child);
      }
    }
  };
  walk(result);
  return [...ids].sort();
}

function uniqueFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(`${f.rule}/${f.resource}`) && seen.add(`${f.rule}/${f.resource}`));
}
