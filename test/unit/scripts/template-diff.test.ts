import { describe, expect, it } from 'vitest';
import { normalizeTemplate, templateDifferences } from '../../../scripts/lib/template-diff.ts';

// Two builds of one configuration differ only in the artifact folder and the code hash: those compare equal.
function build(folder: string, hash: string, memory = 1024) {
  return {
    Resources: {
      [`CastVoteLambdaVersion${hash}`]: { Type: 'AWS::Lambda::Version', Properties: { CodeSha256: hash } },
      CastVoteLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: { MemorySize: memory, Code: { S3Key: `serverless/refarch/prod/${folder}/castVote.zip` } },
      },
    },
    Outputs: { CastVoteLambdaFunctionQualifiedArn: { Value: { Ref: `CastVoteLambdaVersion${hash}` } } },
  };
}

describe('template diff', () => {
  it('finds two builds of the same configuration identical', () => {
    const before = normalizeTemplate(build('1768000000000-2026-01-10T00:00:00.000Z', 'a'.repeat(43)));
    const after = normalizeTemplate(build('1768000999999-2026-01-10T00:16:39.999Z', 'b'.repeat(43)));
    expect(templateDifferences(before, after)).toEqual([]);
  });

  it('reports a changed, an added and a removed value by path', () => {
    const before = normalizeTemplate(build('1-2026-01-10T00:00:00.000Z', 'a'.repeat(43)));
    const after = normalizeTemplate({
      ...build('1-2026-01-10T00:00:00.000Z', 'a'.repeat(43), 2048),
      Conditions: { IsProd: true },
      Outputs: {},
    });
    expect(templateDifferences(before, after)).toEqual([
      '$.Conditions: (absent) -> {"IsProd":true}',
      '$.Outputs.CastVoteLambdaFunctionQualifiedArn: {"Value":{"Ref":"CastVoteLambdaVersion<hash>"}} -> (absent)',
      '$.Resources.CastVoteLambdaFunction.Properties.MemorySize: 1024 -> 2048',
    ]);
  });

  it('compares arrays by position, so a reordered list of IAM statements is a difference', () => {
    expect(templateDifferences({ Statement: ['a', 'b'] }, { Statement: ['b', 'a'] })).toEqual([
      '$.Statement[0]: "a" -> "b"',
      '$.Statement[1]: "b" -> "a"',
    ]);
  });
});
