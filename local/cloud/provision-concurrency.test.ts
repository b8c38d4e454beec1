import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { provision, type ProvisionDeps } from './provision.ts';
import type { Template } from '../template.ts';

// The local cloud reads each function's ReservedConcurrentExecutions into its model; the runtime throttles by it.
const serviceDir = resolve(import.meta.dirname, '../..');
const deps = {
  serviceDir,
  stackName: 'refarch-test',
  region: 'us-east-1',
  accountId: '000000000000',
  httpApiUrl: 'http://127.0.0.1:1',
  redis: { host: '127.0.0.1', port: 1 },
} as unknown as ProvisionDeps;

const fn = (extra: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'test/fixtures/semantics/runtime-probe.handler', Runtime: 'nodejs24.x', Timeout: 3, ...extra },
});

describe('reserved concurrency in the local cloud model', () => {
  it('takes ReservedConcurrentExecutions (0 included) and leaves it out where the template has none', async () => {
    const template: Template = {
      Resources: {
        Reserved: fn({ FunctionName: 'refarch-test-reserved', ReservedConcurrentExecutions: 50 }),
        Stopped: fn({ FunctionName: 'refarch-test-stopped', ReservedConcurrentExecutions: 0 }),
        Unreserved: fn({ FunctionName: 'refarch-test-unreserved' }),
      },
    };
    const model = await provision(template, deps);
    const reserved = Object.fromEntries(model.functions.map((f) => [f.name, f.reservedConcurrency]));
    expect(reserved).toEqual({ reserved: 50, stopped: 0, unreserved: undefined });
    expect('reservedConcurrency' in model.functions.find((f) => f.name === 'unreserved')!).toBe(false);
  });
});
