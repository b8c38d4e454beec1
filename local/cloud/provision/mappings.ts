import { createHash } from 'node:crypto';
import type { MappingModel } from '../model.ts';
import { optionalStr, str, type Provisioner, type Step } from './step.ts';

/** Event source mappings, which the local cloud runs itself (local/mappings). */
export const mappingProvisioners: Record<string, Provisioner> = {
  'AWS::Lambda::EventSourceMapping': (step) => {
    step.model.mappings.push(mappingModel(step));
    return { ref: step.logicalId, attributes: {} };
  },
};

function mappingModel(step: Step): MappingModel {
  const { props } = step;
  const sourceArn = str(step, props.EventSourceArn);
  const functionRef = str(step, props.FunctionName);
  const fn = step.model.functions.find((f) => f.arn === functionRef || f.physicalName === functionRef);
  if (!fn) throw new Error(`event source mapping ${step.logicalId} targets unknown function ${functionRef}`);
  const kind = sourceArn.startsWith('arn:aws:kinesis:') ? 'kinesis' : 'dynamodb';
  const onFailure = (props.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure
    ?.Destination;
  return {
    id: step.logicalId,
    functionName: fn.name,
    kind,
    sourceArn,
    batchSize: Number(props.BatchSize ?? 100),
    maximumBatchingWindowInSeconds: Number(props.MaximumBatchingWindowInSeconds ?? 0),
    startingPosition: (props.StartingPosition ?? 'TRIM_HORIZON') as MappingModel['startingPosition'],
    startingPositionTimestamp:
      props.StartingPositionTimestamp === undefined ? undefined : Number(props.StartingPositionTimestamp),
    reportBatchItemFailures: ((props.FunctionResponseTypes as string[] | undefined) ?? []).includes(
      'ReportBatchItemFailures',
    ),
    bisectBatchOnFunctionError: props.BisectBatchOnFunctionError === true,
    maximumRetryAttempts: props.MaximumRetryAttempts === undefined ? -1 : Number(props.MaximumRetryAttempts),
    maximumRecordAgeInSeconds:
      props.MaximumRecordAgeInSeconds === undefined ? -1 : Number(props.MaximumRecordAgeInSeconds),
    onFailureArn: optionalStr(step, onFailure),
    enabled: props.Enabled !== false,
    uuid: stableUuid(`${step.deps.stackName}/${step.logicalId}`),
  };
}

/** A UUID that stays the same for the same name (Lambda gives each mapping a random one once; here it survives restarts). */
function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
