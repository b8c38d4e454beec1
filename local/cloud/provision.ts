import type { Template, TemplateResource } from '../template.ts';
import type { CloudModel } from './model.ts';
import { dependencyOrder, resolveValue, type ResolveContext, type ResourceIdentity } from './resolve.ts';
import { bucketProvisioners } from './provision/buckets.ts';
import { cacheProvisioners } from './provision/cache.ts';
import { functionProvisioners } from './provision/functions.ts';
import { httpApiProvisioners } from './provision/http-api.ts';
import { identityProvisioners, registerSecrets } from './provision/identity.ts';
import { mappingProvisioners } from './provision/mappings.ts';
import { messagingProvisioners } from './provision/messaging.ts';
import { streamProvisioners } from './provision/streams.ts';
import { tableProvisioners } from './provision/tables.ts';
import type { Props, Provisioner, ProvisionDeps, Step } from './provision/step.ts';

export type { LocalRedis, ProvisionDeps } from './provision/step.ts';

/** One provisioner per resource type, grouped by family in provision/. */
const provisioners: Record<string, Provisioner> = {
  ...tableProvisioners,
  ...streamProvisioners,
  ...bucketProvisioners,
  ...messagingProvisioners,
  ...functionProvisioners,
  ...mappingProvisioners,
  ...httpApiProvisioners,
  ...identityProvisioners,
  ...cacheProvisioners,
};

/** Creates every resource of the template on the local services, in dependency order. */
export async function provision(template: Template, deps: ProvisionDeps): Promise<CloudModel> {
  const context: ResolveContext = {
    region: deps.region,
    accountId: deps.accountId,
    stackName: deps.stackName,
    resources: new Map(),
    secret: (id) => deps.secrets.value(id),
    conditions: template.Conditions,
  };
  registerSecrets(template, deps, context);
  const model: CloudModel = {
    stackName: deps.stackName,
    functions: [],
    mappings: [],
    routes: [],
    subscriptions: [],
    bucketNotifications: [],
    resources: [],
  };
  const httpApi = { integrations: new Map(), authorizers: new Map() };
  for (const logicalId of dependencyOrder(template)) {
    const resource = template.Resources[logicalId] as TemplateResource;
    // CloudFormation creates no resource whose condition is false (e.g. the web ACL outside us-east-1).
    if (resource.Condition !== undefined && resolveValue({ Condition: resource.Condition }, context) !== true) continue;
    const provisioner = provisioners[resource.Type] ?? placeholder;
    const identity = await provisioner({
      logicalId,
      props: (resource.Properties ?? {}) as Props,
      deps,
      context,
      model,
      httpApi,
    });
    context.resources.set(logicalId, identity);
    model.resources.push({ logicalId, type: resource.Type, physicalId: identity.ref, arn: identity.attributes.Arn });
  }
  return model;
}

/** Resources with no local counterpart (CloudFront, IAM policies, ...) still answer Ref and GetAtt. */
function placeholder(step: Step): ResourceIdentity {
  const attributes = new Proxy({} as Record<string, string>, {
    get: (_, name) => `${step.logicalId}.${String(name)}.local`,
  });
  return { ref: step.logicalId, attributes };
}
