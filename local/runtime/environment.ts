import type { FunctionSpec } from './types.ts';

/**
 * The environment of one sandbox: base (region, credentials, endpoints), then the function's own
 * variables, then the variables Lambda reserves (a function cannot override those).
 */
export function sandboxEnvironment(
  spec: FunctionSpec,
  base: Record<string, string>,
  logStreamName: string,
): Record<string, string> {
  const region = spec.arn.split(':')[3] ?? base.AWS_REGION ?? 'us-east-1';
  return {
    ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
    ...base,
    ...spec.environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: spec.physicalName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(spec),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    _HANDLER: `${spec.handlerFile}.${spec.handlerExport}`,
  };
}

export const logGroupName = (spec: FunctionSpec) => `/aws/lambda/${spec.physicalName}`;

/** Lambda's log stream name for a sandbox: date/[version]id. */
export function newLogStreamName(now: Date, id: string): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[$LATEST]${id}`;
}
