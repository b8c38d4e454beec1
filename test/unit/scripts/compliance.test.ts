import { describe, expect, it } from 'vitest';
import type { Template } from '@refarch/local-cloud';
import { applySuppressions, complianceMarkdown, guardFindings } from '../../../scripts/lib/compliance.ts';

// The shape of `cfn-guard validate -o json -z` for one template, reduced to what is read.
const guardOutput = [
  {
    name: 'template.json',
    status: 'FAIL',
    compliant: ['rule_passing'],
    not_applicable: ['rule_a', 'rule_b'],
    not_compliant: [
      {
        Rule: {
          name: 'lambda_inside_vpc_check',
          checks: [
            {
              Rule: {
                messages: {
                  custom_message: '\n [CT.LAMBDA.PR.3]: Require an AWS Lambda function to be in a VPC\n [FIX]: ...',
                },
                checks: [
                  {
                    Clause: {
                      Unary: {
                        check: { UnResolved: { value: { traversed_to: { path: '/Resources/FnA/Properties' } } } },
                      },
                    },
                  },
                  {
                    Clause: {
                      Unary: {
                        check: { UnResolved: { value: { traversed_to: { path: '/Resources/FnB/Properties' } } } },
                      },
                    },
                  },
                ],
              },
            },
          ],
        },
      },
      {
        Rule: {
          name: 's3_bucket_versioning_enabled_check',
          checks: [
            { messages: { custom_message: '[CT.S3.PR.11]: Require versioning' }, path: '/Resources/Bucket/Properties' },
          ],
        },
      },
    ],
  },
];

const template = (
  extra: Partial<Template & { Metadata: unknown }> = {},
  bucketMetadata?: unknown,
): Template & { Metadata?: unknown } => ({
  Resources: {
    FnA: { Type: 'AWS::Lambda::Function' },
    FnB: { Type: 'AWS::Lambda::Function' },
    Bucket: { Type: 'AWS::S3::Bucket', ...(bucketMetadata ? { Metadata: bucketMetadata } : {}) } as never,
  },
  ...extra,
});

describe('guardFindings', () => {
  it('lists one finding per rule and resource, with its control, and counts passed and not applicable rules', () => {
    const { findings, passed, notApplicable } = guardFindings(guardOutput, template());
    expect(findings.map((f) => `${f.control} ${f.rule} ${f.resource} ${f.resourceType}`)).toEqual([
      'CT.LAMBDA.PR.3 lambda_inside_vpc_check FnA AWS::Lambda::Function',
      'CT.LAMBDA.PR.3 lambda_inside_vpc_check FnB AWS::Lambda::Function',
      'CT.S3.PR.11 s3_bucket_versioning_enabled_check Bucket AWS::S3::Bucket',
    ]);
    expect(findings[0]!.requirement).toBe('Require an AWS Lambda function to be in a VPC');
    expect(passed).toEqual(['rule_passing']);
    expect(notApplicable).toBe(2);
  });
});

describe('applySuppressions', () => {
  it('suppresses by resource type (top-level metadata) and by resource, each with its reason', () => {
    const t = template(
      { Metadata: { Compliance: { 'AWS::Lambda::Function': { lambda_inside_vpc_check: 'no VPC resources' } } } },
      { Compliance: { s3_bucket_versioning_enabled_check: 'scratch data' } },
    );
    const result = applySuppressions(guardFindings(guardOutput, t).findings, t);
    expect(result.failures).toEqual([]);
    expect(result.suppressed.map((f) => `${f.resource}: ${f.reason}`)).toEqual([
      'FnA: no VPC resources',
      'FnB: no VPC resources',
      'Bucket: scratch data',
    ]);
    expect(result.unused).toEqual([]);
  });

  it('keeps a finding failing when its suppression has no reason, and reports suppressions that match nothing', () => {
    const t = template({
      Metadata: {
        Compliance: {
          'AWS::Lambda::Function': { lambda_inside_vpc_check: '  ' },
          'AWS::SQS::Queue': { sqs_dlq_check: 'stale' },
        },
      },
    });
    const result = applySuppressions(guardFindings(guardOutput, t).findings, t);
    expect(result.failures.map((f) => f.resource)).toEqual(['FnA', 'FnB', 'Bucket']);
    expect(result.unused).toEqual([{ where: 'AWS::SQS::Queue', rule: 'sqs_dlq_check' }]);
  });
});

describe('complianceMarkdown', () => {
  it('summarises the counts and lists each suppressed rule with its resources and reason', () => {
    const t = template({
      Metadata: { Compliance: { 'AWS::Lambda::Function': { lambda_inside_vpc_check: 'no VPC resources' } } },
    });
    const { findings, passed, notApplicable } = guardFindings(guardOutput, t);
    const markdown = complianceMarkdown(
      { rulesApplied: 5, passed, notApplicable, ...applySuppressions(findings, t) },
      'npm run compliance -- --write',
      '2026-11-29',
    );
    expect(markdown).toContain('| applied | 5 |');
    expect(markdown).toContain(
      '| CT.LAMBDA.PR.3 | `lambda_inside_vpc_check` | Require an AWS Lambda function to be in a VPC | FnA, FnB | no VPC resources |',
    );
    expect(markdown).toContain('## Failing');
    expect(markdown).toContain('| CT.S3.PR.11 | `s3_bucket_versioning_enabled_check` | Require versioning | Bucket |');
  });
});
