import type { Template } from '../template.ts';

/** What a provisioned resource answers to `Ref` and `Fn::GetAtt`. */
export interface ResourceIdentity {
  ref: string;
  attributes: Record<string, string>;
}

export interface ResolveContext {
  region: string;
  accountId: string;
  stackName: string;
  resources: Map<string, ResourceIdentity>;
  /** `{{resolve:secretsmanager:...}}` dynamic references: secret id -> value. */
  secret(id: string): string;
  /** The template's Conditions, for `Fn::If` and `Condition`. */
  conditions?: Record<string, unknown>;
}

/** `Ref: AWS::NoValue`: the property (or list item) that holds it is removed, as CloudFormation does. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Evaluates CloudFormation intrinsic functions against the local resources. */
export function resolveValue(value: unknown, context: ResolveContext): unknown {
  const resolved = resolve(value, context);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolve(value: unknown, context: ResolveContext): unknown {
  if (typeof value === 'string') return resolveDynamicReferences(value, context);
  if (Array.isArray(value)) return value.map((item) => resolve(item, context)).filter((item) => item !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && key === 'Ref' && argument === 'AWS::NoValue') return NO_VALUE;
  if (entries.length === 1 && key && (key === 'Ref' || key.startsWith('Fn::')))
    return intrinsic(key, argument, context);
  if (entries.length === 1 && key === 'Condition' && typeof argument === 'string') return isTrue(argument, context);
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, context)]).filter(([, v]) => v !== NO_VALUE));
}

export function resolveString(value: unknown, context: ResolveContext): string {
  const resolved = resolveValue(value, context);
  if (typeof resolved !== 'string' && typeof resolved !== 'number' && typeof resolved !== 'boolean') {
    throw new Error(`expected a string, got ${JSON.stringify(resolved)}`);
  }
  return String(resolved);
}

function intrinsic(name: string, argument: unknown, context: ResolveContext): unknown {
  switch (name) {
    case 'Ref':
      return ref(String(argument), context);
    case 'Fn::GetAtt':
      return getAtt(argument, context);
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown[]];
      return (resolveValue(parts, context) as unknown[]).join(separator);
    }
    case 'Fn::Sub':
      return sub(argument, context);
    case 'Fn::Select': {
      const [index, list] = argument as [unknown, unknown];
      return (resolveValue(list, context) as unknown[])[Number(resolveValue(index, context))];
    }
    case 'Fn::Split': {
      const [separator, source] = argument as [string, unknown];
      return resolveString(source, context).split(separator);
    }
    case 'Fn::Base64':
      return Buffer.from(resolveString(argument, context)).toString('base64');
    case 'Fn::GetAZs':
      return [`${context.region}a`, `${context.region}b`, `${context.region}c`];
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
      return resolve(isTrue(condition, context) ? whenTrue : whenFalse, context);
    }
    case 'Fn::Equals': {
      const [left, right] = argument as [unknown, unknown];
      return JSON.stringify(resolveValue(left, context)) === JSON.stringify(resolveValue(right, context));
    }
    case 'Fn::Not':
      return !resolveValue((argument as unknown[])[0], context);
    case 'Fn::And':
      return (argument as unknown[]).every((item) => resolveValue(item, context));
    case 'Fn::Or':
      return (argument as unknown[]).some((item) => resolveValue(item, context));
    default:
      throw new Error(`the local cloud does not support ${name}`);
  }
}

/** A named condition of the template (conditions may refer to others with `{"Condition": name}`). */
function isTrue(name: string, context: ResolveContext): boolean {
  const definition = context.conditions?.[name];
  if (definition === undefined) throw new Error(`Fn::If on unknown condition ${name}`);
  return resolveValue(definition, context) === true;
}

function ref(name: string, context: ResolveContext): string {
  const pseudo: Record<string, string> = {
    'AWS::Region': context.region,
    'AWS::AccountId': context.accountId,
    'AWS::StackName': context.stackName,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackId': `arn:aws:cloudformation:${context.region}:${context.accountId}:stack/${context.stackName}/local`,
  };
  const value = pseudo[name] ?? context.resources.get(name)?.ref;
  if (value === undefined) throw new Error(`Ref to unknown resource ${name}`);
  return value;
}

function getAtt(argument: unknown, context: ResolveContext): string {
  const [logicalId, attribute] =
    typeof argument === 'string' ? argument.split(/\.(.*)/s) : (argument as [string, string]);
  const value = context.resources.get(String(logicalId))?.attributes[String(attribute)];
  if (value === undefined) throw new Error(`Fn::GetAtt ${logicalId}.${attribute} is not known locally`);
  return value;
}

function sub(argument: unknown, context: ResolveContext): string {
  const [text, variables] =
    typeof argument === 'string' ? [argument, {}] : (argument as [string, Record<string, unknown>]);
  return text.replace(/\$\{([^}!]+)\}/g, (_, expression: string) => {
    if (expression in variables) return resolveString(variables[expression], context);
    const [logicalId, attribute] = expression.split(/\.(.*)/s);
    return attribute ? getAtt([logicalId, attribute], context) : ref(expression, context);
  });
}

function resolveDynamicReferences(text: string, context: ResolveContext): string {
  return text.replace(/\{\{resolve:secretsmanager:([^}:]+)[^}]*\}\}/g, (_, id: string) => context.secret(id));
}

/** Resources in an order where each one comes after those it names (Ref, GetAtt, Sub, DependsOn). */
export function dependencyOrder(template: Template): string[] {
  const ids = Object.keys(template.Resources);
  const dependencies = new Map(ids.map((id) => [id, referencedIds(template.Resources[id], new Set(ids))]));
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (id: string) => {
    if (ordered.includes(id) || visiting.has(id)) return;
    visiting.add(id);
    for (const dependency of dependencies.get(id) ?? []) visit(dependency);
    ordered.push(id);
  };
  ids.forEach(visit);
  return ordered;
}

function referencedIds(node: unknown, known: Set<string>, found = new Set<string>()): Set<string> {
  if (typeof node === 'string') {
    for (const match of node.matchAll(/\$\{([A-Za-z0-9]+)/g)) if (known.has(match[1]!)) found.add(match[1]!);
  } else if (Array.isArray(node)) {
    node.forEach((item) => referencedIds(item, known, found));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string' && known.has(value)) found.add(value);
      else if (key === 'Fn::GetAtt') {
        const id = Array.isArray(value) ? String(value[0]) : String(value).split('.')[0]!;
        if (known.has(id)) found.add(id);
      } else if (key === 'DependsOn') {
        for (const id of [value].flat()) if (known.has(String(id))) found.add(String(id));
      } else referencedIds(value, known, found);
    }
  }
  return found;
}
