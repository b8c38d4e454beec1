import { describe, expect, it } from 'vitest';
import { resolveValue, type ResolveContext } from './resolve.ts';

const context = (conditions: Record<string, unknown>): ResolveContext => ({
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: 'refarch-test',
  secret: () => '',
  resources: new Map([['WebDistribution', { ref: 'E1', attributes: { DomainName: 'd1.cloudfront.net' } }]]),
  conditions,
});

// The CORS origins of the HTTP API: the distribution's, plus corsOrigins when it is set.
const origins = (extra: string) => ({
  'Fn::If': [
    'HasCorsOrigins',
    { 'Fn::Split': [',', { 'Fn::Sub': `https://\${WebDistribution.DomainName},${extra}` }] },
    [{ 'Fn::Sub': 'https://${WebDistribution.DomainName}' }],
  ],
});
const hasOrigins = (extra: string) => ({ HasCorsOrigins: { 'Fn::Not': [{ 'Fn::Equals': [extra, ''] }] } });

describe('resolveValue with conditions', () => {
  it('takes the branch of Fn::If that its condition picks', () => {
    expect(resolveValue(origins(''), context(hasOrigins('')))).toEqual(['https://d1.cloudfront.net']);
    expect(
      resolveValue(origins('https://a.test,https://b.test'), context(hasOrigins('https://a.test,https://b.test'))),
    ).toEqual(['https://d1.cloudfront.net', 'https://a.test', 'https://b.test']);
  });

  it('evaluates Fn::And, Fn::Or and conditions that name other conditions', () => {
    const conditions = {
      Yes: { 'Fn::Equals': ['a', 'a'] },
      No: { 'Fn::Equals': ['a', 'b'] },
      Both: { 'Fn::And': [{ Condition: 'Yes' }, { Condition: 'No' }] },
      Either: { 'Fn::Or': [{ Condition: 'Yes' }, { Condition: 'No' }] },
    };
    expect(resolveValue({ 'Fn::If': ['Both', 1, 2] }, context(conditions))).toBe(2);
    expect(resolveValue({ 'Fn::If': ['Either', 1, 2] }, context(conditions))).toBe(1);
  });

  it('removes a property or list item that resolves to AWS::NoValue', () => {
    const conditions = hasOrigins('');
    const cors = {
      AllowOrigins: { 'Fn::If': ['HasCorsOrigins', ['https://a.test'], { Ref: 'AWS::NoValue' }] },
      MaxAge: 600,
    };
    expect(resolveValue(cors, context(conditions))).toEqual({ MaxAge: 600 });
    expect(
      resolveValue(['a', { 'Fn::If': ['HasCorsOrigins', 'b', { Ref: 'AWS::NoValue' }] }], context(conditions)),
    ).toEqual(['a']);
    expect(resolveValue({ Ref: 'AWS::NoValue' }, context(conditions))).toBeUndefined();
  });

  it('refuses an unknown condition', () => {
    expect(() => resolveValue({ 'Fn::If': ['Missing', 1, 2] }, context({}))).toThrow(/unknown condition Missing/);
  });
});
