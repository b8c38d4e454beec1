'use strict';

// A local Serverless Framework plugin: osls creates a log group per function (and one for the HTTP API's
// access logs) but has no setting for their KMS key. Before the template is written, every log group that
// names no key gets LogsKey (infra/shared/compliance.yml), so logs are encrypted with a key this stack controls
// (Control Tower CT.CLOUDWATCH.PR.3). The local cloud ignores log-group encryption.
class EncryptLogGroups {
  constructor(serverless) {
    this.hooks = {
      'before:aws:package:finalize:saveServiceState': () =>
        encryptLogGroups(serverless.service.provider.compiledCloudFormationTemplate),
    };
  }
}

function encryptLogGroups(template) {
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Logs::LogGroup') continue;
    resource.Properties = resource.Properties || {};
    if (!resource.Properties.KmsKeyId) resource.Properties.KmsKeyId = { 'Fn::GetAtt': ['LogsKey', 'Arn'] };
  }
}

module.exports = EncryptLogGroups;
module.exports.encryptLogGroups = encryptLogGroups;
