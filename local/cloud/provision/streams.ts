import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { waitUntil } from '../../net.ts';
import type { DeliveryStreamSpec } from '../../firehose/index.ts';
import { resolveValue } from '../resolve.ts';
import { arn, generatedName, optionalStr, str, type Props, type Provisioner, type Step } from './step.ts';

/** Kinesis streams on kinesis-mock, and the Firehose delivery streams that read them. */
export const streamProvisioners: Record<string, Provisioner> = {
  'AWS::Kinesis::Stream': async (step) => {
    const { props, deps } = step;
    const name = optionalStr(step, props.Name) ?? generatedName(deps, step.logicalId);
    // On-demand streams get four shards locally, so per-shard ordering and interleaving are exercised.
    const shardCount = props.ShardCount === undefined ? 4 : Number(resolveValue(props.ShardCount, step.context));
    await deps.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
    await waitUntil(async () => {
      const summary = await deps.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      return summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
    }, `Kinesis stream ${name}`);
    return { ref: name, attributes: { Arn: arn('kinesis', step.deps, `stream/${name}`) } };
  },
  'AWS::KinesisFirehose::DeliveryStream': (step) => {
    const spec = deliveryStreamModel(step);
    (step.model.deliveryStreams ??= []).push(spec);
    return { ref: spec.name, attributes: { Arn: spec.arn } };
  },
};

type Processing = {
  Enabled?: boolean;
  Processors?: Array<{ Type: string; Parameters?: Array<{ ParameterName: string; ParameterValue: unknown }> }>;
};

/** A Firehose delivery stream with a Kinesis source and an S3 destination (the one kind run locally). */
function deliveryStreamModel(step: Step): DeliveryStreamSpec {
  const { props, deps } = step;
  const name = optionalStr(step, props.DeliveryStreamName) ?? generatedName(deps, step.logicalId, 64);
  const source = props.KinesisStreamSourceConfiguration as Props | undefined;
  const destination = (props.ExtendedS3DestinationConfiguration ?? props.S3DestinationConfiguration) as
    Props | undefined;
  if (props.DeliveryStreamType !== 'KinesisStreamAsSource' || !source || !destination) {
    throw new Error(`delivery stream ${step.logicalId}: only a Kinesis source with an S3 destination runs locally`);
  }
  const hints = (destination.BufferingHints ?? {}) as Props;
  return {
    id: step.logicalId,
    name,
    arn: arn('firehose', deps, `deliverystream/${name}`),
    sourceStreamArn: str(step, source.KinesisStreamARN),
    bucket: str(step, destination.BucketARN).replace(/^arn:aws:s3:::/, ''),
    prefix: optionalStr(step, destination.Prefix) ?? '',
    errorOutputPrefix: optionalStr(step, destination.ErrorOutputPrefix),
    intervalSeconds: Number(resolveValue(hints.IntervalInSeconds ?? 300, step.context)),
    sizeMb: Number(resolveValue(hints.SizeInMBs ?? 5, step.context)),
    compressed: destination.CompressionFormat === 'GZIP',
    ...transformation(step, destination.ProcessingConfiguration as Processing | undefined),
  };
}

/** The Lambda record transformation, when the destination has one enabled. */
function transformation(step: Step, processing: Processing | undefined): Pick<DeliveryStreamSpec, 'processor'> {
  const lambda = processing?.Enabled === false ? undefined : processing?.Processors?.find((p) => p.Type === 'Lambda');
  const parameter = (key: string) => {
    const found = lambda?.Parameters?.find((p) => p.ParameterName === key);
    return found === undefined ? undefined : str(step, found.ParameterValue);
  };
  const functionArn = parameter('LambdaArn');
  return functionArn
    ? {
        processor: {
          functionArn,
          retries: Number(parameter('NumberOfRetries') ?? 3),
          bufferMb: Number(parameter('BufferSizeInMBs') ?? 1),
        },
      }
    : {};
}
