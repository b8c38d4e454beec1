import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionModel } from '../model.ts';
import {
  arn,
  generatedName,
  optionalStr,
  str,
  type LocalRedis,
  type Props,
  type ProvisionDeps,
  type Provisioner,
  type Step,
} from './step.ts';

/** Lambda functions (run by the local runtime from their source), their async settings and log groups. */
export const functionProvisioners: Record<string, Provisioner> = {
  'AWS::Lambda::Function': (step) => {
    const fn = functionModel(step);
    step.model.functions.push(fn);
    return { ref: fn.physicalName, attributes: { Arn: fn.arn } };
  },
  'AWS::Lambda::EventInvokeConfig': (step) => {
    const { props } = step;
    const target = str(step, props.FunctionName);
    const fn = step.model.functions.find((f) => f.physicalName === target || f.arn === target);
    const destination = (props.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure
      ?.Destination;
    if (fn)
      fn.async = {
        maximumRetryAttempts: props.MaximumRetryAttempts === undefined ? 2 : Number(props.MaximumRetryAttempts),
        maximumEventAgeInSeconds:
          props.MaximumEventAgeInSeconds === undefined ? undefined : Number(props.MaximumEventAgeInSeconds),
        onFailureArn: optionalStr(step, destination),
      };
    return { ref: step.logicalId, attributes: {} };
  },
  'AWS::Logs::LogGroup': (step) => {
    const name = optionalStr(step, step.props.LogGroupName) ?? generatedName(step.deps, step.logicalId);
    return { ref: name, attributes: { Arn: arn('logs', step.deps, `log-group:${name}:*`) } };
  },
};

function functionModel(step: Step): FunctionModel {
  const { props, deps } = step;
  const physicalName = optionalStr(step, props.FunctionName) ?? generatedName(deps, step.logicalId, 64);
  const [modulePath, handlerExport] = str(step, props.Handler).split(/\.(?=[^.]+$)/) as [string, string];
  const variables = ((props.Environment as Props | undefined)?.Variables ?? {}) as Props;
  return {
    name: physicalName.startsWith(`${deps.stackName}-`) ? physicalName.slice(deps.stackName.length + 1) : physicalName,
    physicalName,
    arn: arn('lambda', deps, `function:${physicalName}`),
    handlerFile: sourceFile(deps.serviceDir, modulePath),
    handlerExport,
    environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, localEndpoints(str(step, v), deps)])),
    timeoutSeconds: Number(props.Timeout ?? 6),
    memoryMb: Number(props.MemorySize ?? 1024),
    ...(props.ReservedConcurrentExecutions === undefined
      ? {}
      : { reservedConcurrency: Number(str(step, props.ReservedConcurrentExecutions)) }),
  };
}

/**
 * ElastiCache here has in-transit encryption (rediss://); the local Redis speaks plain TCP, so URLs
 * that point at it lose the TLS scheme. Everything else (AUTH token, host, port) stays as deployed.
 */
/** An environment value with the local stand-ins' addresses: Redis without TLS, WebSocket APIs' gateways. */
function localEndpoints(value: string, deps: ProvisionDeps): string {
  const local = withoutLocalTls(value, deps.redis);
  return deps.websocketApis ? deps.websocketApis.localize(local) : local;
}

function withoutLocalTls(value: string, redis: LocalRedis): string {
  return value.replace(`rediss://${redis.host}:${redis.port}`, `redis://${redis.host}:${redis.port}`);
}

/** The handler's source file: the bundle is built from it, and the local runtime runs it directly. */
function sourceFile(serviceDir: string, modulePath: string): string {
  for (const extension of ['.ts', '.mts', '.js', '.mjs']) {
    const candidate = join(serviceDir, modulePath + extension);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no source file for handler module ${modulePath} in ${serviceDir}`);
}
