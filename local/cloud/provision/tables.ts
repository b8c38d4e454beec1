import { CreateTableCommand, UpdateTimeToLiveCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { resolveValue } from '../resolve.ts';
import { arn, generatedName, optionalStr, type Props, type Provisioner } from './step.ts';

/** DynamoDB tables on DynamoDB Local, with their streams and TTL; always on-demand. */
export const tableProvisioners: Record<string, Provisioner> = {
  'AWS::DynamoDB::Table': async (step) => {
    const { props, deps } = step;
    const name = optionalStr(step, props.TableName) ?? generatedName(deps, step.logicalId);
    const input = resolveValue(
      {
        TableName: name,
        AttributeDefinitions: props.AttributeDefinitions,
        KeySchema: props.KeySchema,
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
        LocalSecondaryIndexes: props.LocalSecondaryIndexes,
        StreamSpecification: props.StreamSpecification
          ? { StreamEnabled: true, ...(props.StreamSpecification as Props) }
          : undefined,
        BillingMode: 'PAY_PER_REQUEST',
      },
      step.context,
    ) as CreateTableCommandInput;
    const created = await deps.dynamodb.send(new CreateTableCommand(input));
    const ttl = props.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl?.Enabled)
      await deps.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: ttl }));
    const attributes: Record<string, string> = { Arn: arn('dynamodb', deps, `table/${name}`) };
    if (created.TableDescription?.LatestStreamArn) attributes.StreamArn = created.TableDescription.LatestStreamArn;
    return { ref: name, attributes };
  },
};
