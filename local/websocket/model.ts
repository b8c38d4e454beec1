/** A WebSocket API of the template (AWS::ApiGatewayV2::Api, ProtocolType WEBSOCKET) as the local gateway runs it. */
export interface WebSocketApiModel {
  logicalId: string;
  apiId: string;
  /** e.g. `$request.body.action`. */
  routeSelectionExpression: string;
  /** Route key ($connect, $disconnect, $default, or a custom one) -> local function name. */
  routes: Map<string, string>;
}

/** One open connection, as the gateway and the @connections API see it. */
export interface ConnectionInfo {
  connectionId: string;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
}

/**
 * The function ARN behind a WebSocket integration's URI (`arn:aws:apigateway:<region>:lambda:path/
 * 2015-03-31/functions/<function ARN>/invocations`); HTTP API integrations name the ARN directly.
 */
export function integrationFunctionArn(uri: string | undefined): string | undefined {
  const match = /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri ?? '');
  return match ? match[1] : uri;
}

/**
 * The route key a message selects: the property named by `$request.body.<path>` of a JSON object, when a
 * route has that key; `$default` otherwise (not JSON, no such property, or no such route), as API Gateway does.
 */
export function selectRoute(expression: string, body: string, routeKeys: ReadonlySet<string>): string {
  const path = /^\$request\.body\.(.+)$/.exec(expression)?.[1];
  if (!path) return '$default';
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return '$default';
  }
  for (const name of path.split('.')) {
    value =
      value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)[name]
        : undefined;
  }
  const key = typeof value === 'string' ? value : undefined;
  return key !== undefined && !key.startsWith('$') && routeKeys.has(key) ? key : '$default';
}
