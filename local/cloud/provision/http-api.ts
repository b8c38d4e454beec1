import type { CorsModel } from '../model.ts';
import { resolveValue, type ResourceIdentity } from '../resolve.ts';
import { integrationFunctionArn } from '../../websocket/index.ts';
import { localId, optionalStr, str, type Props, type Provisioner, type Step } from './step.ts';

/**
 * The HTTP API: its CORS settings, and the routes with their integration and JWT authorizer. A WebSocket API
 * gets a gateway of its own (local/websocket), and its routes go there.
 */
export const httpApiProvisioners: Record<string, Provisioner> = {
  'AWS::ApiGatewayV2::Api': async (step) => {
    if (step.props.ProtocolType === 'WEBSOCKET' && step.deps.websocketApis) {
      const apiId = localId(step.deps, step.logicalId, 10);
      const url = await step.deps.websocketApis.open(
        step.logicalId,
        apiId,
        str(step, step.props.RouteSelectionExpression),
      );
      return { ref: apiId, attributes: { ApiEndpoint: url, ApiId: apiId } };
    }
    step.model.cors = corsModel(resolveValue(step.props.CorsConfiguration, step.context) as Props | undefined);
    return { ref: 'local', attributes: { ApiEndpoint: step.deps.httpApiUrl, ApiId: 'local' } };
  },
  'AWS::ApiGatewayV2::Integration': (step) => {
    step.httpApi.integrations.set(step.logicalId, str(step, step.props.IntegrationUri));
    return { ref: step.logicalId, attributes: {} };
  },
  'AWS::ApiGatewayV2::Authorizer': recordAuthorizer,
  'AWS::ApiGatewayV2::Route': recordRoute,
};

/** JWT authorizers (the only kind the local cloud checks), for the routes that name them. */
function recordAuthorizer(step: Step): ResourceIdentity {
  const { props } = step;
  if (String(props.AuthorizerType).toUpperCase() !== 'JWT')
    throw new Error(`authorizer ${step.logicalId}: the local cloud supports JWT authorizers only`);
  const jwt = resolveValue(props.JwtConfiguration, step.context) as { Issuer: string; Audience?: string[] };
  const identitySource =
    (resolveValue(props.IdentitySource, step.context) as string[] | undefined)?.[0] ?? '$request.header.Authorization';
  step.httpApi.authorizers.set(step.logicalId, {
    type: 'JWT',
    issuer: jwt.Issuer,
    audience: jwt.Audience ?? [],
    identitySource,
  });
  return { ref: step.logicalId, attributes: { AuthorizerId: step.logicalId } };
}

function recordRoute(step: Step): ResourceIdentity {
  const routeKey = str(step, step.props.RouteKey);
  const target = str(step, step.props.Target).replace(/^integrations\//, '');
  const functionArn = integrationFunctionArn(step.httpApi.integrations.get(target));
  const fn = step.model.functions.find((f) => f.arn === functionArn || f.physicalName === functionArn);
  if (!fn) throw new Error(`route ${routeKey} targets ${target}, which is not a local function`);
  if (step.deps.websocketApis?.addRoute(str(step, step.props.ApiId), routeKey, fn.name))
    return { ref: step.logicalId, attributes: {} };
  const [method, path] = routeKey === '$default' ? ['ANY', '$default'] : (routeKey.split(' ') as [string, string]);
  const authorizerId = optionalStr(step, step.props.AuthorizerId);
  const authorizer = authorizerId === undefined ? undefined : step.httpApi.authorizers.get(authorizerId);
  if (authorizerId !== undefined && !authorizer)
    throw new Error(`route ${routeKey} names authorizer ${authorizerId}, which is not in the template`);
  step.model.routes.push({ method, path, routeKey, functionName: fn.name, ...(authorizer ? { authorizer } : {}) });
  return { ref: step.logicalId, attributes: {} };
}

function corsModel(cors: Props | undefined): CorsModel | undefined {
  if (!cors) return undefined;
  const list = (value: unknown) => (value as string[] | undefined) ?? [];
  return {
    allowOrigins: list(cors.AllowOrigins),
    allowHeaders: list(cors.AllowHeaders),
    allowMethods: list(cors.AllowMethods),
    exposeHeaders: list(cors.ExposeHeaders),
    allowCredentials: cors.AllowCredentials === true,
    maxAge: cors.MaxAge === undefined ? undefined : Number(cors.MaxAge),
  };
}
