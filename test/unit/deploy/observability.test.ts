import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The plugin is CommonJS (osls loads it with require): its functions are tested on a small compiled template.
interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}
interface Template {
  Resources: Record<string, Resource>;
  Conditions?: Record<string, unknown>;
}
interface Settings {
  alarmEmail: string;
  iteratorAgeAlarmSeconds: number;
}
const { observe, settingsOf } = createRequire(import.meta.url)('../../../deploy/observability.cjs') as {
  observe(template: Template, settings: Settings): void;
  settingsOf(serverless: unknown): Settings;
};

const fn = (handler: string): Resource => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: handler, Environment: { Variables: {} } },
});
const queue = (): Resource => ({ Type: 'AWS::SQS::Queue', Properties: {} });

/** Two pipelines: a Kinesis consumer with a DLQ, an HTTP function, Firehose with a transformation, a web ACL. */
function smallTemplate(): Template {
  return {
    Conditions: { CreatesWebAcl: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } },
    Resources: {
      OrdersStream: { Type: 'AWS::Kinesis::Stream', Properties: {} },
      OrdersDeadLetterQueue: queue(),
      WorkQueue: queue(),
      ConsumeLambdaFunction: {
        ...fn('src/functions/orders/consume.handler'),
        Properties: {
          Handler: 'src/functions/orders/consume.handler',
          Environment: { Variables: { DEAD_LETTER_QUEUE_URL: { Ref: 'OrdersDeadLetterQueue' } } },
        },
      },
      ConsumeEventSourceMappingKinesisOrdersStream: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['OrdersStream', 'Arn'] },
          FunctionName: { 'Fn::GetAtt': ['ConsumeLambdaFunction', 'Arn'] },
        },
      },
      WorkEventSourceMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['WorkQueue', 'Arn'] },
          FunctionName: { 'Fn::GetAtt': ['ServeLambdaFunction', 'Arn'] },
        },
      },
      ServeLambdaFunction: fn('src/functions/web/serve.handler'),
      TransformLambdaFunction: fn('src/functions/logging/transform.handler'),
      HttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
      LogStream: { Type: 'AWS::Kinesis::Stream', Properties: {} },
      Delivery: {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: {
          KinesisStreamSourceConfiguration: { KinesisStreamARN: { 'Fn::GetAtt': ['LogStream', 'Arn'] } },
          ExtendedS3DestinationConfiguration: {
            BufferingHints: { IntervalInSeconds: 60 },
            ProcessingConfiguration: {
              Processors: [
                {
                  Parameters: [
                    {
                      ParameterName: 'LambdaArn',
                      ParameterValue: { 'Fn::GetAtt': ['TransformLambdaFunction', 'Arn'] },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
      Redis: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: {} },
      Acl: {
        Type: 'AWS::WAFv2::WebACL',
        Condition: 'CreatesWebAcl',
        Properties: {
          Scope: 'CLOUDFRONT',
          VisibilityConfig: { MetricName: 'front-door' },
          Rules: [{ Statement: { RateBasedStatement: { Limit: 500 } } }],
        },
      },
    },
  };
}

const observed = (settings: Settings = { alarmEmail: '', iteratorAgeAlarmSeconds: 60 }) => {
  const template = smallTemplate();
  observe(template, settings);
  return template;
};
const alarmsOf = (template: Template) =>
  Object.fromEntries(Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm'));

describe('the observability plugin', () => {
  it('alarms on every dead-letter queue (by logical id), every function and every stream consumer, nothing else', () => {
    expect(Object.keys(alarmsOf(observed())).sort()).toEqual([
      'AclBlockedRequestsAlarm',
      'ConsumeErrorsAlarm',
      'ConsumeIteratorAgeAlarm',
      'ConsumeThrottlesAlarm',
      'DeliveryDeliveryAlarm',
      'DeliveryFreshnessAlarm',
      'HttpApiServerErrorRateAlarm',
      'OrdersDeadLetterQueueDepthAlarm',
      'ServeErrorsAlarm',
      'ServeThrottlesAlarm',
      'TransformErrorsAlarm',
      'TransformThrottlesAlarm',
    ]);
  });

  it('sends every alarm and its recovery to the encrypted AlarmTopic, which CloudWatch may encrypt for', () => {
    const template = observed();
    for (const [id, alarm] of Object.entries(alarmsOf(template))) {
      expect(alarm.Properties, id).toMatchObject({
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Properties.AlarmDescription, id).toContain('docs/operations.md#');
    }
    expect(template.Resources.AlarmTopic!.Properties.KmsMasterKeyId).toEqual({ Ref: 'AlarmTopicKey' });
    const statements = (
      template.Resources.AlarmTopicKey!.Properties.KeyPolicy as { Statement: Array<Record<string, unknown>> }
    ).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
  });

  it('watches queue depth, errors and throttles over 5 minutes, and iterator age in milliseconds from the parameter in seconds', () => {
    const alarms = alarmsOf(observed({ alarmEmail: '', iteratorAgeAlarmSeconds: 90 }));
    expect(alarms.OrdersDeadLetterQueueDepthAlarm!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['OrdersDeadLetterQueue', 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    for (const metric of ['Errors', 'Throttles']) {
      expect(alarms[`Serve${metric}Alarm`]!.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'ServeLambdaFunction' } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    expect(alarms.ConsumeIteratorAgeAlarm!.Properties).toMatchObject({
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
      Threshold: 90_000,
    });
  });

  it('computes the HTTP API 5xx rate with metric math', () => {
    const metrics = alarmsOf(observed()).HttpApiServerErrorRateAlarm!.Properties.Metrics as Array<
      Record<string, unknown>
    >;
    expect(
      metrics.map(
        (m) => (m.MetricStat as { Metric: { MetricName: string } } | undefined)?.Metric.MetricName ?? m.Expression,
      ),
    ).toEqual(['5xx', 'Count', '100 * errors / requests']);
    expect(metrics[0]!.MetricStat).toMatchObject({
      Metric: { Namespace: 'AWS/ApiGateway', Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }] },
      Stat: 'Sum',
    });
  });

  it('bounds Firehose data freshness by twice the buffering interval plus five minutes', () => {
    const alarms = alarmsOf(observed());
    expect(alarms.DeliveryFreshnessAlarm!.Properties).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Threshold: 420,
    });
    expect(alarms.DeliveryDeliveryAlarm!.Properties).toMatchObject({
      MetricName: 'DeliveryToS3.Success',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
  });

  it("gives the web ACL alarm the ACL's condition, no Region dimension for CloudFront, and the rate limit as threshold", () => {
    const alarm = alarmsOf(observed()).AclBlockedRequestsAlarm!;
    expect(alarm.Condition).toBe('CreatesWebAcl');
    expect(alarm.Properties).toMatchObject({
      Namespace: 'AWS/WAFV2',
      MetricName: 'BlockedRequests',
      Dimensions: [
        { Name: 'WebACL', Value: 'front-door' },
        { Name: 'Rule', Value: 'ALL' },
      ],
      Threshold: 500,
    });
  });

  it('subscribes alarmEmail only when it is set', () => {
    const template = observed({ alarmEmail: 'ops@example.com', iteratorAgeAlarmSeconds: 60 });
    expect(template.Resources.AlarmEmailSubscription).toMatchObject({
      Condition: 'HasAlarmEmail',
      Properties: { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: 'AlarmTopic' } },
    });
    expect(template.Conditions!.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['ops@example.com', ''] }] });
    expect(observed().Conditions!.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('builds one dashboard with a section per handler folder, Redis and the tracking service, in JSON that resolves names with Fn::Sub', () => {
    const properties = observed().Resources.OperationsDashboard!.Properties as { DashboardBody: { 'Fn::Sub': string } };
    const body = JSON.parse(properties.DashboardBody['Fn::Sub']) as {
      widgets: Array<{ type: string; properties: Record<string, unknown> }>;
    };
    const titles = body.widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown);
    expect(titles).toEqual(['## orders', '## web', '## Central logging', '## Redis health (ElastiCache)']);
    const orders = JSON.stringify(body.widgets);
    expect(orders).toContain('["AWS/Kinesis","IncomingRecords","StreamName","${OrdersStream}"');
    expect(orders).toContain(
      '["AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","${OrdersDeadLetterQueue.QueueName}"',
    );
    expect(orders).toContain('["AWS/Lambda","IteratorAge","FunctionName","${ConsumeLambdaFunction}"');
    expect(orders).toContain('["AWS/Kinesis","IncomingRecords","StreamName","${LogStream}"');
    expect(orders).toContain('CacheClusterId=${Redis}');
    expect(orders).not.toContain('Acl');
    for (const widget of body.widgets.filter((w) => w.type === 'metric'))
      expect(widget.properties.region).toBe('${AWS::Region}');
  });

  it("reads the parameters with osls's precedence: --param, then the stage, then default", () => {
    const serverless = (stage: string, param?: string[]) => ({
      configurationInput: {
        params: { default: { alarmEmail: '', iteratorAgeAlarmSeconds: 60 }, prod: { alarmEmail: 'ops@example.com' } },
      },
      processedInput: { options: param ? { param } : {} },
      service: { provider: { stage } },
    });
    expect(settingsOf(serverless('dev'))).toEqual({ alarmEmail: '', iteratorAgeAlarmSeconds: 60 });
    expect(settingsOf(serverless('prod'))).toEqual({ alarmEmail: 'ops@example.com', iteratorAgeAlarmSeconds: 60 });
    expect(settingsOf(serverless('prod', ['iteratorAgeAlarmSeconds=300']))).toEqual({
      alarmEmail: 'ops@example.com',
      iteratorAgeAlarmSeconds: 300,
    });
  });
});

describe('a load-balanced ECS service (the tracking service)', () => {
  /** The service exists only with an image (HasTrackerImage); load balancer, target group and cluster always. */
  function serviceTemplate(): Template {
    return {
      Resources: {
        TrackerCluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
        TrackerLoadBalancer: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} },
        TrackerTargetGroup: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: {} },
        TrackerListener: {
          Type: 'AWS::ElasticLoadBalancingV2::Listener',
          Properties: {
            LoadBalancerArn: { Ref: 'TrackerLoadBalancer' },
            DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'TrackerTargetGroup' } }],
          },
        },
        TrackerService: {
          Type: 'AWS::ECS::Service',
          Condition: 'HasTrackerImage',
          Properties: {
            Cluster: { Ref: 'TrackerCluster' },
            LoadBalancers: [{ TargetGroupArn: { Ref: 'TrackerTargetGroup' } }],
          },
        },
      },
    };
  }
  const observedService = () => {
    const template = serviceTemplate();
    observe(template, { alarmEmail: '', iteratorAgeAlarmSeconds: 60 });
    return template;
  };

  it("alarms on its 5xx rate, an unhealthy task and no healthy task, under the service's condition", () => {
    const { Resources } = observedService();
    const alarms = Object.entries(Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.map(([id]) => id).sort()).toEqual([
      'TrackerServiceNoHealthyTaskAlarm',
      'TrackerServiceServerErrorRateAlarm',
      'TrackerServiceUnhealthyTasksAlarm',
    ]);
    for (const [, alarm] of alarms) expect(alarm.Condition).toBe('HasTrackerImage');
    expect(Resources.TrackerServiceUnhealthyTasksAlarm!.Properties).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [
        { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': ['TrackerLoadBalancer', 'LoadBalancerFullName'] } },
        { Name: 'TargetGroup', Value: { 'Fn::GetAtt': ['TrackerTargetGroup', 'TargetGroupFullName'] } },
      ],
    });
    expect(Resources.TrackerServiceNoHealthyTaskAlarm!.Properties).toMatchObject({
      MetricName: 'HealthyHostCount',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    });
    const rate = Resources.TrackerServiceServerErrorRateAlarm!.Properties.Metrics as Array<{
      Id: string;
      Expression?: string;
    }>;
    expect(rate.find((m) => m.Expression)?.Expression).toBe('100 * (FILL(elb, 0) + FILL(target, 0)) / requests');
  });

  it('graphs 5xx, p99 response time, healthy and running tasks, CPU and memory from resources that always exist', () => {
    const body = (observedService().Resources.OperationsDashboard!.Properties.DashboardBody as { 'Fn::Sub': string })[
      'Fn::Sub'
    ];
    for (const metric of [
      'HTTPCode_Target_5XX_Count',
      'HTTPCode_ELB_5XX_Count',
      'TargetResponseTime',
      'UnHealthyHostCount',
      'RunningTaskCount',
      'CPUUtilization',
      'MemoryUtilization',
    ])
      expect(body).toContain(metric);
    expect(body).toContain('${TrackerLoadBalancer.LoadBalancerFullName}');
    expect(body).toContain('${TrackerCluster}');
    expect(body).not.toContain('${TrackerService');
  });
});
