import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { BucketNotificationModel } from '../model.ts';
import { resolveValue } from '../resolve.ts';
import { generatedName, optionalStr, type Props, type Provisioner, type Step } from './step.ts';

/** S3 buckets on s3rver, and the notifications the template configures on them. */
export const bucketProvisioners: Record<string, Provisioner> = {
  'AWS::S3::Bucket': async (step) => {
    const { props, deps } = step;
    const name = optionalStr(step, props.BucketName) ?? generatedName(deps, step.logicalId, 63).toLowerCase();
    await deps.s3.send(new CreateBucketCommand({ Bucket: name }));
    step.model.bucketNotifications.push(...bucketNotifications(step, name));
    return {
      ref: name,
      attributes: {
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${deps.region}.amazonaws.com`,
        WebsiteURL: `http://${name}.s3-website-${deps.region}.amazonaws.com`,
      },
    };
  },
};

function bucketNotifications(step: Step, bucket: string): BucketNotificationModel[] {
  const config = resolveValue(step.props.NotificationConfiguration ?? {}, step.context) as Props;
  const kinds = [
    ['TopicConfigurations', 'topic', 'Topic'],
    ['LambdaConfigurations', 'lambda', 'Function'],
    ['QueueConfigurations', 'queue', 'Queue'],
  ] as const;
  return kinds.flatMap(([key, kind, targetKey]) =>
    ((config[key] as Props[] | undefined) ?? []).map((entry) => {
      const rules =
        (entry.Filter as { S3Key?: { Rules?: Array<{ Name: string; Value: string }> } } | undefined)?.S3Key?.Rules ??
        [];
      const rule = (name: string) => rules.find((r) => r.Name.toLowerCase() === name)?.Value;
      return {
        bucket,
        events: [String(entry.Event)],
        prefix: rule('prefix'),
        suffix: rule('suffix'),
        target: { kind, arn: String(entry[targetKey]) },
      };
    }),
  );
}
