import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { deliverSnsNotification } from './notifications.ts';
import { provision, type ProvisionDeps } from './provision.ts';
import type { Template } from '../template.ts';

// What deploy/observability.cjs adds (a KMS key, an SNS topic, an e-mail subscription, alarms, a dashboard) must
// provision locally: the topic on the local SNS, the rest as placeholders, and an e-mail subscriber must not
// disturb local SNS delivery.
const { observe } = createRequire(import.meta.url)('../../deploy/observability.cjs') as {
  observe(template: Template, settings: { alarmEmail: string; iteratorAgeAlarmSeconds: number }): void;
};

const topics: string[] = [];
const sns = { createTopic: (name: string) => (topics.push(name), `arn:aws:sns:us-east-1:000000000000:${name}`) };
const deps = {
  serviceDir: '.',
  stackName: 'refarch-test',
  region: 'us-east-1',
  accountId: '000000000000',
  httpApiUrl: 'http://127.0.0.1:1',
  sns,
} as unknown as ProvisionDeps;

function observed(alarmEmail: string): Template {
  const template: Template = {
    Resources: {
      // A queue and a function would need local services; the web ACL alarm and the topic need none.
      WebAcl: {
        Type: 'AWS::WAFv2::WebACL',
        Properties: { Scope: 'CLOUDFRONT', VisibilityConfig: { MetricName: 'front-door' }, Rules: [] },
      },
    },
  };
  observe(template, { alarmEmail, iteratorAgeAlarmSeconds: 60 });
  return template;
}

describe('the local cloud and the observability resources', () => {
  it('creates the alarm topic, stands in for the key, alarms and dashboard, and subscribes no e-mail by default', async () => {
    const model = await provision(observed(''), deps);
    expect(model.resources.map((r) => `${r.logicalId} ${r.type}`).sort()).toEqual([
      'AlarmTopic AWS::SNS::Topic',
      'AlarmTopicKey AWS::KMS::Key',
      'OperationsDashboard AWS::CloudWatch::Dashboard',
      'WebAcl AWS::WAFv2::WebACL',
      'WebAclBlockedRequestsAlarm AWS::CloudWatch::Alarm',
    ]);
    expect(topics).toContain('refarch-test-alarms');
    expect(model.subscriptions).toEqual([]);
  });

  it('records an e-mail subscription when alarmEmail is set, and SNS delivery passes it by', async () => {
    const model = await provision(observed('ops@example.com'), deps);
    expect(model.subscriptions).toEqual([expect.objectContaining({ protocol: 'email', endpoint: 'ops@example.com' })]);
    const invoked: string[] = [];
    const targets = {
      sns,
      sqs: { sendByArn: () => invoked.push('sqs') },
      runtime: { invokeAsync: (name: string) => invoked.push(name) },
      functions: [],
      region: 'us-east-1',
    };
    const notification = {
      topicArn: model.subscriptions[0]!.topicArn,
      messageId: '1',
      message: '{}',
      timestamp: new Date(0).toISOString(),
      messageAttributes: {},
    };
    expect(() => deliverSnsNotification(notification, model.subscriptions, targets as never)).not.toThrow();
    expect(invoked).toEqual([]);
  });
});
