import type { Template } from '../../template.ts';
import { resolveString, type ResolveContext } from '../resolve.ts';
import {
  arn,
  generatedName,
  localId,
  optionalStr,
  str,
  type Props,
  type Provisioner,
  type ProvisionDeps,
} from './step.ts';

/** Who may do what: IAM roles, secrets, Cognito. None has a local service beyond the secret store. */
export const identityProvisioners: Record<string, Provisioner> = {
  'AWS::IAM::Role': (step) => {
    const name = optionalStr(step, step.props.RoleName) ?? generatedName(step.deps, step.logicalId, 64);
    return { ref: name, attributes: { Arn: arn('iam', { ...step.deps, region: '' }, `role/${name}`), RoleId: name } };
  },
  'AWS::SecretsManager::Secret': (step) => {
    const secret = step.deps.secrets.find(secretName(step.logicalId, step.props, step.deps, step.context))!;
    return { ref: secret.arn, attributes: { Id: secret.arn } };
  },
  // Cognito has no local service: the ids are stable names that the JWT authorizer's issuer and
  // audience resolve to, and the local signing key (jwt-authorizer.ts) stands in for the pool's keys.
  'AWS::Cognito::UserPool': (step) => {
    const { region } = step.deps;
    const id = `${region}_${localId(step.deps, step.logicalId, 9)}`;
    return {
      ref: id,
      attributes: {
        Arn: arn('cognito-idp', step.deps, `userpool/${id}`),
        UserPoolId: id,
        ProviderName: `cognito-idp.${region}.amazonaws.com/${id}`,
        ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${id}`,
      },
    };
  },
  'AWS::Cognito::UserPoolClient': (step) => {
    const id = localId(step.deps, step.logicalId, 26);
    return { ref: id, attributes: { ClientId: id, Name: optionalStr(step, step.props.ClientName) ?? step.logicalId } };
  },
  // No hosted UI locally (the console mints tokens instead): the domain and groups only answer Ref.
  'AWS::Cognito::UserPoolDomain': (step) => ({ ref: str(step, step.props.Domain), attributes: {} }),
  'AWS::Cognito::UserPoolGroup': (step) => ({
    ref: optionalStr(step, step.props.GroupName) ?? step.logicalId,
    attributes: {},
  }),
};

/**
 * Secrets are registered before anything is provisioned: other resources name them by dynamic
 * reference (`{{resolve:secretsmanager:<name>}}`), which the dependency order cannot see.
 */
export function registerSecrets(template: Template, deps: ProvisionDeps, context: ResolveContext): void {
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::SecretsManager::Secret') continue;
    const name = secretName(logicalId, (resource.Properties ?? {}) as Props, deps, context);
    // Secrets Manager appends 6 random characters to a secret's ARN; a fixed suffix keeps it stable here.
    deps.secrets.add(logicalId, name, arn('secretsmanager', deps, `secret:${name}-${localId(deps, logicalId, 6)}`));
  }
}

function secretName(logicalId: string, props: Props, deps: ProvisionDeps, context: ResolveContext): string {
  return props.Name === undefined ? generatedName(deps, logicalId) : resolveString(props.Name, context);
}
