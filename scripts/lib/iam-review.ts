// Least-privilege review of a packaged template's IAM: wildcard actions, wildcard resources where the
// action could name one, and function roles that reach resources their function is not wired to.
import type { Template } from '@refarch/local-cloud';

/** Actions that have no resource-level permissions: IAM accepts only `*` as their resource. */
export const ACTIONS_WITHOUT_RESOURCES = new Set([
  'kinesis:ListStreams',
  // The ECR registry login token (the task execution role's image pull) names no repository.
  'ecr:GetAuthorizationToken',
  'cloudwatch:PutMetricData',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}
export interface IamProblem {
  policy: string;
  problem: string;
}

const IAM_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']);
const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every Allow statement of the template's IAM roles and policies, by the logical id that holds it. */
export function allowStatements(template: Template): Array<{ policy: string; statement: Statement }> {
  return Object.entries(template.Resources)
    .filter(([, resource]) => IAM_TYPES.has(resource.Type))
    .flatMap(([id, resource]) => {
      const properties = resource.Properties ?? {};
      const documents = [
        ...asList(
          properties.Policies as Array<{ PolicyDocument: { Statement: Statement | Statement[] } }> | undefined,
        ).map((policy) => policy.PolicyDocument),
        ...(properties.PolicyDocument ? [properties.PolicyDocument as { Statement: Statement | Statement[] }] : []),
      ];
      return documents
        .flatMap((document) => asList(document.Statement))
        .filter((s) => s.Effect === 'Allow')
        .map((statement) => ({ policy: id, statement }));
    });
}

/** Statements with a wildcard action, or a `*` resource for an action that can be limited to resources. */
export function wildcardProblems(template: Template): IamProblem[] {
  return allowStatements(template).flatMap(({ policy, statement }) => {
    const actions = asList(statement.Action);
    const problems: IamProblem[] = actions
      .filter((action) => action.includes('*'))
      .map((action) => ({ policy, problem: `wildcard action ${action}` }));
    if (asList(statement.Resource).includes('*')) {
      for (const action of actions.filter((a) => !ACTIONS_WITHOUT_RESOURCES.has(a)))
        problems.push({ policy, problem: `${action} on Resource "*"` });
    }
    return problems;
  });
}

/** Logical ids a CloudFormation value refers to: Ref, Fn::GetAtt, and ${Id} / ${Id.Attr} in Fn::Sub. */
export function referencedIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'Ref' && typeof child === 'string') ids.add(child);
      else if (key === 'Fn::GetAtt') ids.add(Array.isArray(child) ? String(child[0]) : String(child).split('.')[0]!);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(child) ? String(child[0]) : String(child);
        for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}/g)) ids.add(match[1]!);
        if (Array.isArray(child)) walk(child[1]);
      } else walk(child);
    }
  };
  walk(value);
  for (const id of [...ids]) if (id.startsWith('AWS::')) ids.delete(id);
  return ids;
}

/**
 * Function roles (serverless-iam-roles-per-function: `<Fn>IamRoleLambdaExecution`) that grant a stack
 * resource their function is not wired to: not in its environment, VPC config, event sources, on-failure
 * destinations or SNS subscriptions.
 */
export function crossFunctionGrants(template: Template): IamProblem[] {
  const resources = template.Resources;
  const problems: IamProblem[] = [];
  for (const [roleId, role] of Object.entries(resources)) {
    const fnId = /^(.+)IamRoleLambdaExecution$/.exec(roleId)?.[1];
    if (!fnId || role.Type !== 'AWS::IAM::Role' || !resources[`${fnId}LambdaFunction`]) continue;
    const wired = wiredResources(template, `${fnId}LambdaFunction`);
    const granted = new Set(
      allowStatements({ Resources: { [roleId]: role } }).flatMap(({ statement }) => [
        ...referencedIds(statement.Resource),
      ]),
    );
    for (const id of granted) {
      if (resources[id] && !wired.has(id))
        problems.push({ policy: roleId, problem: `grants ${id}, which ${fnId}LambdaFunction is not wired to` });
    }
  }
  return problems;
}

function wiredResources(template: Template, functionId: string): Set<string> {
  const fn = template.Resources[functionId]!;
  const wired = new Set<string>([
    functionId,
    ...referencedIds(fn.Properties?.Environment),
    ...referencedIds(fn.Properties?.VpcConfig),
  ]);
  const logGroup = fn.DependsOn && asList(fn.DependsOn).find((id) => id.endsWith('LogGroup'));
  if (logGroup) wired.add(logGroup);
  for (const resource of Object.values(template.Resources)) {
    const properties = resource.Properties ?? {};
    const targetsFunction = referencedIds(properties.FunctionName ?? properties.Endpoint).has(functionId);
    if (!targetsFunction) continue;
    if (
      resource.Type === 'AWS::Lambda::EventSourceMapping' ||
      resource.Type === 'AWS::Lambda::EventInvokeConfig' ||
      resource.Type === 'AWS::SNS::Subscription'
    ) {
      for (const id of referencedIds(properties)) wired.add(id);
    }
  }
  // A function subscribed to a topic also handles the events of the buckets that notify that topic.
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::S3::Bucket') continue;
    if ([...referencedIds(resource.Properties?.NotificationConfiguration)].some((topic) => wired.has(topic)))
      wired.add(id);
  }
  return wired;
}
