'use strict';

// A local Serverless Framework plugin: the settings every Kinesis and DynamoDB-stream consumer shares are
// written once, in serverless.yml `custom.streamConsumers`, so infra/<pipeline>.yml shows only what differs:
//   - `defaults`: mapping settings (startingPosition, retries, ...) a `stream` event gets unless it sets its own;
//   - `failedBatchesBucket`: the logical id of the bucket every stream mapping sends the batches it gives up on
//     (DESIGN.md §4). The framework's `destinations.onFailure` knows only SNS and SQS, so the plugin sets the
//     mapping's DestinationConfig itself and grants the function's role what Lambda needs to write there.
class StreamConsumers {
  constructor(serverless) {
    const settings = () => (serverless.service.custom || {}).streamConsumers || {};
    this.hooks = {
      'before:package:compileEvents': () => applyDefaults(serverless.service.functions, settings()),
      'after:package:compileEvents': () =>
        sendFailedBatches(
          serverless.service.functions,
          serverless.service.provider.compiledCloudFormationTemplate,
          (name) => serverless.getProvider('aws').naming.getLambdaLogicalId(name),
          settings(),
        ),
    };
  }
}

/** The stream events of a function (those written as an object; a bare ARN string takes no settings). */
function streamEvents(functionObj) {
  return (functionObj.events || []).filter((event) => event.stream && typeof event.stream === 'object');
}

/** Fills the defaults into every stream event, and gives each consumer's role the failed-batches grants. */
function applyDefaults(functions, settings) {
  for (const functionObj of Object.values(functions || {})) {
    const events = streamEvents(functionObj);
    if (events.length === 0) continue;
    for (const event of events) event.stream = { ...settings.defaults, ...event.stream };
    if (settings.failedBatchesBucket) {
      functionObj.iamRoleStatements = [
        ...failedBatchesStatements(settings.failedBatchesBucket),
        ...(functionObj.iamRoleStatements || []),
      ];
    }
  }
}

/** The mapping's on-failure destination: Lambda writes each failed batch, with the function's role, under aws/lambda/. */
function failedBatchesStatements(bucket) {
  return [
    { Effect: 'Allow', Action: ['s3:PutObject'], Resource: { 'Fn::Sub': `\${${bucket}.Arn}/aws/lambda/*` } },
    { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: { 'Fn::GetAtt': [bucket, 'Arn'] } },
  ];
}

/** Sets the failed-batches bucket as OnFailure destination of every mapping made from a stream event. */
function sendFailedBatches(functions, template, lambdaLogicalId, settings) {
  if (!settings.failedBatchesBucket) return;
  const mappings = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::Lambda::EventSourceMapping',
  );
  for (const [name, functionObj] of Object.entries(functions || {})) {
    const target = lambdaLogicalId(name);
    for (const event of streamEvents(functionObj)) {
      const arn = JSON.stringify(event.stream.arn);
      const found = mappings.filter(
        (m) => targetOf(m) === target && JSON.stringify(m.Properties.EventSourceArn) === arn,
      );
      // Never a consumer whose failed batches are silently dropped: a mapping we cannot find stops the build.
      if (found.length === 0) throw new Error(`stream-consumers: no event source mapping of ${name} for ${arn}`);
      for (const mapping of found) {
        mapping.Properties.DestinationConfig = {
          OnFailure: { Destination: { 'Fn::GetAtt': [settings.failedBatchesBucket, 'Arn'] } },
        };
      }
    }
  }
}

/** The logical id of the function a mapping invokes (FunctionName is its Fn::GetAtt Arn, or an alias Ref). */
function targetOf(mapping) {
  const name = mapping.Properties.FunctionName;
  return (name && name['Fn::GetAtt'] && name['Fn::GetAtt'][0]) || undefined;
}

module.exports = StreamConsumers;
module.exports.applyDefaults = applyDefaults;
module.exports.sendFailedBatches = sendFailedBatches;
