import { resolveValue } from '../resolve.ts';
import { arn, generatedName, optionalStr, str, type Props, type Provisioner } from './step.ts';

/** SQS queues and SNS topics on the local cloud's own services, and the topics' subscriptions. */
export const messagingProvisioners: Record<string, Provisioner> = {
  'AWS::SQS::Queue': (step) => {
    const name = optionalStr(step, step.props.QueueName) ?? generatedName(step.deps, step.logicalId, 80);
    const url = step.deps.sqs.createQueue(name);
    return { ref: url, attributes: { Arn: arn('sqs', step.deps, name), QueueName: name, QueueUrl: url } };
  },
  'AWS::SNS::Topic': (step) => {
    const name = optionalStr(step, step.props.TopicName) ?? generatedName(step.deps, step.logicalId, 256);
    const topicArn = step.deps.sns.createTopic(name);
    for (const s of (step.props.Subscription as Props[] | undefined) ?? []) {
      step.model.subscriptions.push({ topicArn, protocol: str(step, s.Protocol), endpoint: str(step, s.Endpoint) });
    }
    return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
  },
  'AWS::SNS::Subscription': (step) => {
    const { props } = step;
    const subscription = {
      topicArn: str(step, props.TopicArn),
      protocol: str(step, props.Protocol),
      endpoint: str(step, props.Endpoint),
      filterPolicy: resolveValue(props.FilterPolicy, step.context),
    };
    step.model.subscriptions.push(subscription);
    return { ref: `${subscription.topicArn}:${step.logicalId}`, attributes: {} };
  },
};
