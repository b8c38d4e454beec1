import { describe, expect, it } from 'vitest';
import { provision, type ProvisionDeps } from './provision.ts';
import type { Template } from '../template.ts';

// Only resource types without a local service, so no service client is touched.
const deps = {
  serviceDir: '.',
  stackName: 'refarch-test',
  region: 'us-east-1',
  accountId: '000000000000',
  httpApiUrl: 'http://127.0.0.1:1',
  secret: () => '',
} as unknown as ProvisionDeps;

const template = (region: string): Template => ({
  Conditions: { CreatesWebAcl: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, region] } },
  Resources: {
    WebAcl: { Type: 'AWS::WAFv2::WebACL', Condition: 'CreatesWebAcl', Properties: { Scope: 'CLOUDFRONT' } },
    ResultsCachePolicy: { Type: 'AWS::CloudFront::CachePolicy', Properties: {} },
    WebDistribution: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: { DistributionConfig: { CachePolicyId: { Ref: 'ResultsCachePolicy' } } },
    },
  },
});

describe('provisioning resources without a local service', () => {
  it('creates a resource only when its condition holds, and answers Ref and GetAtt with stable ids', async () => {
    const here = await provision(template('us-east-1'), deps);
    expect(here.resources.map((r) => r.logicalId).sort()).toEqual(['ResultsCachePolicy', 'WebAcl', 'WebDistribution']);
    expect(here.resources.find((r) => r.logicalId === 'WebAcl')).toMatchObject({
      physicalId: 'WebAcl',
      arn: 'WebAcl.Arn.local',
    });
    const elsewhere = await provision(template('eu-west-1'), deps);
    expect(elsewhere.resources.map((r) => r.logicalId).sort()).toEqual(['ResultsCachePolicy', 'WebDistribution']);
  });
});
