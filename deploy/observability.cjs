'use strict';

// A local Serverless Framework plugin: production is watched (DESIGN.md §4). Before the template is written it
// derives, from the compiled template itself, one CloudWatch alarm per thing that can go wrong and one dashboard
// per stack, so a new queue, function, mapping or delivery stream is watched without anyone listing it:
//   - every SQS queue whose logical id ends in DeadLetterQueue: a message is waiting in it;
//   - every function: Errors > 0 and Throttles > 0 in 5 minutes;
//   - every function fed by a Kinesis or DynamoDB stream: IteratorAge above iteratorAgeAlarmSeconds;
//   - every HTTP API: more than 1% of its requests answered 5xx in 5 minutes;
//   - every Firehose delivery stream to S3: deliveries failing, or data older than its buffering allows;
//   - every WAF web ACL: more requests blocked in 5 minutes than one client may make (the rate rule's limit);
//   - every ECS service behind a load balancer: over 1% of its requests answered 5xx, an unhealthy task, no healthy task.
// All alarms notify AlarmTopic (encrypted with its own key, which CloudWatch may use), optionally e-mailed to
// the stage parameter alarmEmail. What each alarm means and how to repair it: docs/operations.md.
class Observability {
  constructor(serverless) {
    this.hooks = {
      'before:aws:package:finalize:saveServiceState': () =>
        observe(serverless.service.provider.compiledCloudFormationTemplate, settingsOf(serverless)),
    };
  }
}

const RUNBOOK = 'docs/operations.md';
const TOPIC = { Ref: 'AlarmTopic' };

/** The two stage parameters, with osls's precedence: --param on the command line, then the stage's, then default. */
function settingsOf(serverless) {
  const params = (serverless.configurationInput && serverless.configurationInput.params) || {};
  const options = (serverless.processedInput && serverless.processedInput.options) || {};
  const cli = Object.fromEntries((options.param || []).map((item) => item.split(/=(.*)/s)));
  const stage = serverless.service.provider.stage;
  const param = (name, fallback) =>
    cli[name] ?? (params[stage] || {})[name] ?? (params.default || {})[name] ?? fallback;
  return {
    alarmEmail: String(param('alarmEmail', '')).trim(),
    iteratorAgeAlarmSeconds: Number(param('iteratorAgeAlarmSeconds', 60)),
  };
}

/** Adds the topic, the alarms and the dashboard to a compiled template. */
function observe(template, settings) {
  template.Conditions = {
    ...template.Conditions,
    HasAlarmEmail: { 'Fn::Not': [{ 'Fn::Equals': [settings.alarmEmail, ''] }] },
  };
  Object.assign(template.Resources, alarmTopic(settings), alarms(template, settings), {
    OperationsDashboard: dashboard(template),
  });
}

// ---------------------------------------------------------------- the topic

function alarmTopic(settings) {
  return {
    AlarmTopicKey: {
      Type: 'AWS::KMS::Key',
      Properties: {
        Description: 'Encrypts the alarm topic; CloudWatch alarms of this account may use it to publish',
        EnableKeyRotation: true,
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountAdministers',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Resource: '*',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*',
                  },
                },
              },
            },
            {
              Sid: 'GrantsOnlyForAwsServices',
              Effect: 'Deny',
              Principal: '*',
              Action: 'kms:CreateGrant',
              Resource: '*',
              Condition: {
                BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
              },
            },
          ],
        },
      },
    },
    AlarmTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: { 'Fn::Sub': '${AWS::StackName}-alarms' }, KmsMasterKeyId: { Ref: 'AlarmTopicKey' } },
    },
    // Only with alarmEmail set; the recipient confirms the subscription from the first message.
    AlarmEmailSubscription: {
      Type: 'AWS::SNS::Subscription',
      Condition: 'HasAlarmEmail',
      Properties: { TopicArn: TOPIC, Protocol: 'email', Endpoint: settings.alarmEmail },
    },
  };
}

// ---------------------------------------------------------------- alarms

function alarms(template, settings) {
  return Object.fromEntries([
    ...deadLetterQueueAlarms(template),
    ...functionAlarms(template),
    ...iteratorAgeAlarms(template, settings),
    ...httpApiAlarms(template),
    ...deliveryStreamAlarms(template),
    ...webAclAlarms(template),
    ...loadBalancedServiceAlarms(template),
  ]);
}

/**
 * One alarm on one metric (or on metric math when `metrics` is given). Every alarm notifies AlarmTopic when it
 * fires and when it clears, and carries the Condition of the resource it watches. Missing data is not breaching
 * unless said otherwise: each metric here is emitted only while there is activity, and quiet is healthy.
 */
function alarm(
  watched,
  {
    description,
    anchor,
    threshold,
    comparison = 'GreaterThanThreshold',
    periods = 1,
    treatMissingData = 'notBreaching',
    ...metric
  },
) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    ...(watched.Condition ? { Condition: watched.Condition } : {}),
    Properties: {
      AlarmDescription: `${description} Runbook: ${RUNBOOK}#${anchor}`,
      ...metric,
      EvaluationPeriods: periods,
      DatapointsToAlarm: periods,
      Threshold: threshold,
      ComparisonOperator: comparison,
      TreatMissingData: treatMissingData,
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
    },
  };
}

const dimension = (Name, Value) => ({ Name, Value });
const ofType = (template, type) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const baseName = (functionId) => functionId.replace(/LambdaFunction$/, '');

function deadLetterQueueAlarms(template) {
  return ofType(template, 'AWS::SQS::Queue')
    .filter(([id]) => id.endsWith('DeadLetterQueue'))
    .map(([id, queue]) => [
      `${id}DepthAlarm`,
      alarm(queue, {
        description: `${id} holds messages that could not be processed.`,
        anchor: 'dead-letter-queue-has-messages',
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [dimension('QueueName', { 'Fn::GetAtt': [id, 'QueueName'] })],
        Statistic: 'Maximum',
        Period: 300,
        threshold: 0,
      }),
    ]);
}

function functionAlarms(template) {
  return ofType(template, 'AWS::Lambda::Function').flatMap(([id, fn]) =>
    ['Errors', 'Throttles'].map((metric) => [
      `${baseName(id)}${metric}Alarm`,
      alarm(fn, {
        description: `${baseName(id)}: ${metric === 'Errors' ? 'invocations failed' : 'invocations were throttled'} in the last 5 minutes.`,
        anchor: metric === 'Errors' ? 'function-errors' : 'function-throttles',
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [dimension('FunctionName', { Ref: id })],
        Statistic: 'Sum',
        Period: 300,
        threshold: 0,
      }),
    ]),
  );
}

/** The logical ids a value names with Ref, Fn::GetAtt or ${...} in Fn::Sub. */
function referencedIds(value, found = new Set()) {
  if (typeof value === 'string') for (const match of value.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.add(match[1]);
  else if (Array.isArray(value)) value.forEach((item) => referencedIds(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'Ref' && typeof item === 'string') found.add(item);
      else if (key === 'Fn::GetAtt') found.add(Array.isArray(item) ? item[0] : String(item).split('.')[0]);
      else referencedIds(item, found);
    }
  }
  return found;
}

/** Stream event source mappings (Kinesis or DynamoDB streams, not SQS), with the function and stream they join. */
function streamMappings(template) {
  const streamTypes = new Set(['AWS::Kinesis::Stream', 'AWS::DynamoDB::Table']);
  return ofType(template, 'AWS::Lambda::EventSourceMapping').flatMap(([id, mapping]) => {
    const [source] = [...referencedIds(mapping.Properties.EventSourceArn)];
    const [functionId] = [...referencedIds(mapping.Properties.FunctionName)];
    const sourceType = template.Resources[source] && template.Resources[source].Type;
    return streamTypes.has(sourceType) && template.Resources[functionId]
      ? [{ id, functionId, source, sourceType }]
      : [];
  });
}

function iteratorAgeAlarms(template, settings) {
  const consumers = [...new Set(streamMappings(template).map((mapping) => mapping.functionId))];
  return consumers.map((id) => [
    `${baseName(id)}IteratorAgeAlarm`,
    alarm(template.Resources[id], {
      description: `${baseName(id)} is more than ${settings.iteratorAgeAlarmSeconds} s behind its stream.`,
      anchor: 'iterator-age',
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [dimension('FunctionName', { Ref: id })],
      Statistic: 'Maximum',
      Period: 300,
      threshold: settings.iteratorAgeAlarmSeconds * 1000, // IteratorAge is in milliseconds
    }),
  ]);
}

/**
 * The share of requests answered 5xx, not the count: a count threshold either pages for one failed request at
 * night or stays quiet under load; the per-function Errors alarms already catch each failing invocation.
 */
function httpApiAlarms(template) {
  const apiMetric = (id, name) => ({
    Metric: { Namespace: 'AWS/ApiGateway', MetricName: name, Dimensions: [dimension('ApiId', { Ref: id })] },
    Period: 300,
    Stat: 'Sum',
  });
  return ofType(template, 'AWS::ApiGatewayV2::Api')
    .filter(([, api]) => api.Properties.ProtocolType === 'HTTP')
    .map(([id, api]) => [
      `${id}ServerErrorRateAlarm`,
      alarm(api, {
        description: `More than 1% of the requests to ${id} were answered 5xx in 5 minutes.`,
        anchor: 'http-api-5xx-rate',
        Metrics: [
          { Id: 'errors', MetricStat: apiMetric(id, '5xx'), ReturnData: false },
          { Id: 'requests', MetricStat: apiMetric(id, 'Count'), ReturnData: false },
          { Id: 'rate', Expression: '100 * errors / requests', Label: '5xx, % of requests', ReturnData: true },
        ],
        threshold: 1,
      }),
    ]);
}

/**
 * Records wait in the transformation's buffer and then in the S3 buffer, each up to the buffering interval; five
 * more minutes cover retries and the metric's own granularity. Failed deliveries are retried by Firehose, so
 * only 15 minutes of failures in a row alarm.
 */
function deliveryStreamAlarms(template) {
  return ofType(template, 'AWS::KinesisFirehose::DeliveryStream').flatMap(([id, stream]) => {
    const s3 = stream.Properties.ExtendedS3DestinationConfiguration || stream.Properties.S3DestinationConfiguration;
    if (!s3) return [];
    const interval = Number((s3.BufferingHints && s3.BufferingHints.IntervalInSeconds) ?? 300);
    const metric = (MetricName, Statistic) => ({
      Namespace: 'AWS/Firehose',
      MetricName,
      Dimensions: [dimension('DeliveryStreamName', { Ref: id })],
      Statistic,
      Period: 300,
    });
    return [
      [
        `${id}DeliveryAlarm`,
        alarm(stream, {
          description: `${id} failed to put objects into S3 for 15 minutes.`,
          anchor: 'log-delivery-failing',
          ...metric('DeliveryToS3.Success', 'Average'),
          comparison: 'LessThanThreshold',
          threshold: 1,
          periods: 3,
        }),
      ],
      [
        `${id}FreshnessAlarm`,
        alarm(stream, {
          description: `${id} holds records older than ${2 * interval + 300} s (buffering interval ${interval} s).`,
          anchor: 'log-delivery-late',
          ...metric('DeliveryToS3.DataFreshness', 'Maximum'),
          threshold: 2 * interval + 300,
        }),
      ],
    ];
  });
}

/**
 * A CLOUDFRONT web ACL's metrics carry no Region dimension (AWS WAF: Region is required for every protected
 * resource type except CloudFront distributions); Rule=ALL counts the requests blocked by any rule.
 */
function webAclAlarms(template) {
  return ofType(template, 'AWS::WAFv2::WebACL').map(([id, acl]) => {
    const limits = (acl.Properties.Rules || [])
      .map((rule) => rule.Statement.RateBasedStatement && Number(rule.Statement.RateBasedStatement.Limit))
      .filter(Boolean);
    const threshold = limits.length ? Math.min(...limits) : 1000;
    const region = acl.Properties.Scope === 'CLOUDFRONT' ? [] : [dimension('Region', { Ref: 'AWS::Region' })];
    return [
      `${id}BlockedRequestsAlarm`,
      alarm(acl, {
        description: `${id} blocked more than ${threshold} requests in 5 minutes: an attack, or a rule refusing real users.`,
        anchor: 'front-door-blocking',
        Namespace: 'AWS/WAFV2',
        MetricName: 'BlockedRequests',
        Dimensions: [
          dimension('WebACL', acl.Properties.VisibilityConfig.MetricName),
          dimension('Rule', 'ALL'),
          ...region,
        ],
        Statistic: 'Sum',
        Period: 300,
        threshold,
      }),
    ];
  });
}

/** ECS services with the target group they register in and the load balancer whose listener forwards to it. */
function loadBalancedServices(template) {
  const listeners = ofType(template, 'AWS::ElasticLoadBalancingV2::Listener');
  return ofType(template, 'AWS::ECS::Service').flatMap(([id, service]) => {
    const [targetGroup] = [...referencedIds((service.Properties.LoadBalancers || []).map((lb) => lb.TargetGroupArn))];
    const listener = listeners.find(([, l]) => referencedIds(l.Properties.DefaultActions).has(targetGroup));
    const [loadBalancer] = listener ? [...referencedIds(listener[1].Properties.LoadBalancerArn)] : [];
    return targetGroup && loadBalancer
      ? [{ id, service, targetGroup, loadBalancer, cluster: [...referencedIds(service.Properties.Cluster)][0] }]
      : [];
  });
}

const albDimensions = ({ loadBalancer, targetGroup }, withTargetGroup = true) => [
  dimension('LoadBalancer', { 'Fn::GetAtt': [loadBalancer, 'LoadBalancerFullName'] }),
  ...(withTargetGroup ? [dimension('TargetGroup', { 'Fn::GetAtt': [targetGroup, 'TargetGroupFullName'] })] : []),
];

/**
 * A share of 5xx (the load balancer's own, e.g. no healthy target, plus the tasks'), as for the HTTP API; a task
 * failing its health check for 3 minutes; and no healthy task at all for 3 minutes (every hit fails).
 */
function loadBalancedServiceAlarms(template) {
  return loadBalancedServices(template).flatMap((watched) => {
    const albMetric = (name) => ({
      Metric: { Namespace: 'AWS/ApplicationELB', MetricName: name, Dimensions: albDimensions(watched, false) },
      Period: 300,
      Stat: 'Sum',
    });
    const hosts = { Namespace: 'AWS/ApplicationELB', Dimensions: albDimensions(watched), Period: 60, periods: 3 };
    return [
      [
        `${watched.id}ServerErrorRateAlarm`,
        alarm(watched.service, {
          description: `More than 1% of the requests to ${watched.id} were answered 5xx in 5 minutes.`,
          anchor: 'tracking-service-5xx-rate',
          Metrics: [
            { Id: 'elb', MetricStat: albMetric('HTTPCode_ELB_5XX_Count'), ReturnData: false },
            { Id: 'target', MetricStat: albMetric('HTTPCode_Target_5XX_Count'), ReturnData: false },
            { Id: 'requests', MetricStat: albMetric('RequestCount'), ReturnData: false },
            {
              Id: 'rate',
              Expression: '100 * (FILL(elb, 0) + FILL(target, 0)) / requests',
              Label: '5xx, % of requests',
              ReturnData: true,
            },
          ],
          threshold: 1,
        }),
      ],
      [
        `${watched.id}UnhealthyTasksAlarm`,
        alarm(watched.service, {
          description: `A task of ${watched.id} has failed its load balancer health check for 3 minutes.`,
          anchor: 'tracking-service-unhealthy',
          ...hosts,
          MetricName: 'UnHealthyHostCount',
          Statistic: 'Maximum',
          threshold: 0,
        }),
      ],
      [
        `${watched.id}NoHealthyTaskAlarm`,
        alarm(watched.service, {
          description: `${watched.id} has had no healthy task for 3 minutes: every request to it fails.`,
          anchor: 'tracking-service-unhealthy',
          ...hosts,
          MetricName: 'HealthyHostCount',
          Statistic: 'Minimum',
          comparison: 'LessThanThreshold',
          threshold: 1,
        }),
      ],
    ];
  });
}

// ---------------------------------------------------------------- the dashboard

const PIPELINES = {
  votes: 'Votes',
  tracking: 'Ad tracking',
  files: 'File processing',
  iot: 'IoT',
  activity: 'Activity stream',
  mobile: 'Notes (mobile backend)',
  logging: 'Central logging',
};

/** The pipeline of a function: the folder of its handler, src/functions/<pipeline>/. */
const pipelineOf = (fn) => (/^src\/functions\/([^/]+)\//.exec(String(fn.Properties.Handler)) || [])[1] || 'other';

/**
 * DashboardBody is JSON in Fn::Sub, so ${Logical} names resolve to physical ones. Resources under a Condition are
 * left out: Fn::Sub cannot name a resource that may not exist.
 */
function dashboard(template) {
  const sections = [...pipelineSections(template), redisSection(template), trackingServiceSection(template)].filter(
    (section) => section.widgets.length,
  );
  return {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: {
      DashboardName: { 'Fn::Sub': '${AWS::StackName}' },
      DashboardBody: { 'Fn::Sub': JSON.stringify({ widgets: layout(sections) }) },
    },
  };
}

/** Each section: a title row, then its graphs three to a row. */
function layout(sections) {
  const widgets = [];
  let y = 0;
  for (const { title, widgets: graphs } of sections) {
    widgets.push({ type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: `## ${title}` } });
    y += 1;
    graphs.forEach((graph, index) =>
      widgets.push({ ...graph, x: (index % 3) * 8, y: y + Math.floor(index / 3) * 6, width: 8, height: 6 }),
    );
    y += Math.ceil(graphs.length / 3) * 6;
  }
  return widgets;
}

/** A graph; each line is [namespace, metric, dimension, value, ..., {label, stat}] or [{expression, label, id}]. */
function graph(title, metrics, { stat = 'Sum', period = 60 } = {}) {
  return { type: 'metric', properties: { title, view: 'timeSeries', region: '${AWS::Region}', stat, period, metrics } };
}

const unconditional = ([, resource]) => !resource.Condition;

function pipelineSections(template) {
  const functions = ofType(template, 'AWS::Lambda::Function').filter(unconditional);
  const pipelines = [...new Set(functions.map(([, fn]) => pipelineOf(fn)))];
  return pipelines.map((pipeline) =>
    pipelineSection(
      template,
      pipeline,
      functions.filter(([, fn]) => pipelineOf(fn) === pipeline).map(([id]) => id),
    ),
  );
}

function pipelineSection(template, pipeline, functionIds) {
  const fnLine = (metric, id, stat) => [
    'AWS/Lambda',
    metric,
    'FunctionName',
    `\${${id}}`,
    { label: baseName(id), stat },
  ];
  const mappings = streamMappings(template).filter((mapping) => functionIds.includes(mapping.functionId));
  const streams = [...new Set([...mappings.map((m) => m.source), ...processorSources(template, functionIds)])].filter(
    (id) => template.Resources[id].Type === 'AWS::Kinesis::Stream',
  );
  const queues = [...new Set(functionIds.flatMap((id) => [...wiredIds(template, id)]))].filter(
    (id) => id.endsWith('DeadLetterQueue') && template.Resources[id].Type === 'AWS::SQS::Queue',
  );
  const consumers = [...new Set(mappings.map((m) => m.functionId))];
  const widgets = [
    graph('Inputs per minute', [
      ...streams.map((id) => [
        'AWS/Kinesis',
        'IncomingRecords',
        'StreamName',
        `\${${id}}`,
        { label: `${id} records in`, stat: 'Sum' },
      ]),
      ...functionIds.map((id) => fnLine('Invocations', id, 'Sum')),
    ]),
    graph(
      'Failures (function errors)',
      functionIds.map((id) => fnLine('Errors', id, 'Sum')),
    ),
    queues.length &&
      graph(
        'Dead-lettered (messages waiting)',
        queues.map((id) => [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          `\${${id}.QueueName}`,
          { label: id, stat: 'Maximum' },
        ]),
        { stat: 'Maximum', period: 300 },
      ),
    consumers.length &&
      graph(
        'Iterator age (ms)',
        consumers.map((id) => fnLine('IteratorAge', id, 'Maximum')),
        { stat: 'Maximum' },
      ),
    graph(
      'Duration p99 (ms)',
      functionIds.map((id) => fnLine('Duration', id, 'p99')),
      { stat: 'p99' },
    ),
    ...deliveryGraphs(template, functionIds),
  ].filter(Boolean);
  return { title: PIPELINES[pipeline] || pipeline, widgets };
}

/** What a function is wired to: its environment, and the mappings and async configs that target it. */
function wiredIds(template, functionId) {
  const wired = referencedIds(template.Resources[functionId].Properties.Environment);
  for (const resource of Object.values(template.Resources)) {
    const targeted =
      ['AWS::Lambda::EventSourceMapping', 'AWS::Lambda::EventInvokeConfig'].includes(resource.Type) &&
      referencedIds(resource.Properties.FunctionName).has(functionId);
    if (targeted) referencedIds(resource.Properties, wired);
  }
  return wired;
}

/** Delivery streams whose transformation is one of these functions. */
const processedStreams = (template, functionIds) =>
  ofType(template, 'AWS::KinesisFirehose::DeliveryStream')
    .filter(unconditional)
    .filter(([, stream]) =>
      [
        ...referencedIds(
          stream.Properties.ExtendedS3DestinationConfiguration &&
            stream.Properties.ExtendedS3DestinationConfiguration.ProcessingConfiguration,
        ),
      ].some((id) => functionIds.includes(id)),
    );

const processorSources = (template, functionIds) =>
  processedStreams(template, functionIds).flatMap(([, stream]) => [
    ...referencedIds(stream.Properties.KinesisStreamSourceConfiguration),
  ]);

function deliveryGraphs(template, functionIds) {
  return processedStreams(template, functionIds).map(([id]) =>
    graph(
      `${id} to S3`,
      [
        [
          'AWS/Firehose',
          'DeliveryToS3.Records',
          'DeliveryStreamName',
          `\${${id}}`,
          { label: 'records delivered', stat: 'Sum' },
        ],
        [
          'AWS/Firehose',
          'DeliveryToS3.DataFreshness',
          'DeliveryStreamName',
          `\${${id}}`,
          { label: 'oldest record (s)', stat: 'Maximum', yAxis: 'right' },
        ],
        [
          'AWS/Firehose',
          'DeliveryToS3.Success',
          'DeliveryStreamName',
          `\${${id}}`,
          { label: 'put success ratio', stat: 'Average', yAxis: 'right' },
        ],
      ],
      { period: 300 },
    ),
  );
}

/** ElastiCache publishes per member cluster and node: a search on the replication group's id finds them all. */
function redisSection(template) {
  const search = (id, metric, stat) => [
    {
      expression: `SEARCH('{AWS/ElastiCache,CacheClusterId,CacheNodeId} MetricName="${metric}" CacheClusterId=\${${id}}', '${stat}', 60)`,
      label: metric,
      id: `${metric.toLowerCase()}${id.toLowerCase()}`,
    },
  ];
  const groups = ofType(template, 'AWS::ElastiCache::ReplicationGroup')
    .filter(unconditional)
    .map(([id]) => id);
  return {
    title: 'Redis health (ElastiCache)',
    widgets: groups.flatMap((id) => [
      graph(`${id}: engine CPU %`, [search(id, 'EngineCPUUtilization', 'Average')], { stat: 'Average' }),
      graph(`${id}: memory used %`, [search(id, 'DatabaseMemoryUsagePercentage', 'Maximum')], { stat: 'Maximum' }),
      graph(`${id}: client connections`, [search(id, 'CurrConnections', 'Maximum')], { stat: 'Maximum' }),
    ]),
  };
}

/**
 * The tracking service: the trackEvent function that serves GET /event/{programId} until the container service
 * runs, then the service behind its load balancer. The service itself is conditional (no image, no service), so its
 * graphs name only what always exists: the load balancer, the target group and the cluster.
 */
function trackingServiceSection(template) {
  const [trackEvent] = ofType(template, 'AWS::Lambda::Function')
    .filter(unconditional)
    .filter(([, fn]) => /\/trackEvent\.[^.]+$/.test(String(fn.Properties.Handler)))
    .map(([id]) => id);
  const line = (metric, stat, label) => ['AWS/Lambda', metric, 'FunctionName', `\${${trackEvent}}`, { label, stat }];
  return {
    title: 'Tracking service',
    widgets: [
      ...(trackEvent
        ? [
            graph('trackEvent: hits per minute and failures', [
              line('Invocations', 'Sum', 'hits'),
              line('Errors', 'Sum', 'errors'),
              line('Throttles', 'Sum', 'throttled'),
            ]),
            graph('trackEvent: latency (ms)', [line('Duration', 'p50', 'p50'), line('Duration', 'p99', 'p99')], {
              stat: 'p99',
            }),
          ]
        : []),
      ...loadBalancedServices(template)
        .filter(({ loadBalancer, targetGroup, cluster }) =>
          [loadBalancer, targetGroup, cluster].every(
            (id) => template.Resources[id] && !template.Resources[id].Condition,
          ),
        )
        .flatMap(serviceGraphs),
    ],
  };
}

function serviceGraphs({ id, loadBalancer, targetGroup, cluster }) {
  const lb = ['LoadBalancer', `\${${loadBalancer}.LoadBalancerFullName}`];
  const tg = ['TargetGroup', `\${${targetGroup}.TargetGroupFullName}`];
  const clusterLine = (metric, label) => [
    'AWS/ECS',
    metric,
    'ClusterName',
    `\${${cluster}}`,
    { label, stat: 'Average' },
  ];
  return [
    graph(`${id}: requests and 5xx per minute`, [
      ['AWS/ApplicationELB', 'RequestCount', ...lb, { label: 'requests', stat: 'Sum' }],
      ['AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', ...lb, { label: 'load balancer 5xx', stat: 'Sum' }],
      ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', ...lb, ...tg, { label: 'task 5xx', stat: 'Sum' }],
    ]),
    graph(
      `${id}: target response time (s)`,
      [
        ['AWS/ApplicationELB', 'TargetResponseTime', ...lb, ...tg, { label: 'p50', stat: 'p50' }],
        ['AWS/ApplicationELB', 'TargetResponseTime', ...lb, ...tg, { label: 'p99', stat: 'p99' }],
      ],
      { stat: 'p99' },
    ),
    graph(
      `${id}: tasks`,
      [
        ['AWS/ApplicationELB', 'HealthyHostCount', ...lb, ...tg, { label: 'healthy', stat: 'Minimum' }],
        ['AWS/ApplicationELB', 'UnHealthyHostCount', ...lb, ...tg, { label: 'unhealthy', stat: 'Maximum' }],
        [
          {
            expression: `SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName} MetricName="RunningTaskCount" ClusterName=\${${cluster}}', 'Average', 60)`,
            label: 'running',
            id: 'running',
          },
        ],
      ],
      { stat: 'Maximum' },
    ),
    graph(
      `${id}: CPU and memory %`,
      [clusterLine('CPUUtilization', 'CPU %'), clusterLine('MemoryUtilization', 'memory %')],
      { stat: 'Average' },
    ),
  ];
}

module.exports = Observability;
Object.assign(module.exports, { observe, settingsOf, referencedIds });
