import type { Invoker } from '../cloud/http-api.ts';
import { WebSocketGateway, type GatewayOptions } from './gateway.ts';

export { WebSocketGateway, type GatewayOptions } from './gateway.ts';
export { integrationFunctionArn } from './model.ts';

/**
 * The template's WebSocket APIs, each a gateway on its own loopback port. Provisioning opens them (their
 * URL goes into the functions' environment) and adds their routes; the runtime is attached afterwards.
 */
export class WebSocketApis {
  readonly gateways = new Map<string, WebSocketGateway>();

  private readonly options: GatewayOptions & { region: string };

  constructor(options: GatewayOptions & { region: string }) {
    this.options = options;
  }

  /** Opens the gateway of an AWS::ApiGatewayV2::Api of ProtocolType WEBSOCKET; its ApiEndpoint is the ws:// URL. */
  async open(logicalId: string, apiId: string, routeSelectionExpression: string): Promise<string> {
    const gateway = new WebSocketGateway(
      { logicalId, apiId, routeSelectionExpression, routes: new Map() },
      this.options,
    );
    this.gateways.set(logicalId, gateway);
    return gateway.listen();
  }

  /** Records a route whose Api is one of these (false: an HTTP API route). */
  addRoute(apiRef: string, routeKey: string, functionName: string): boolean {
    const gateway = [...this.gateways.values()].find((g) => g.api.apiId === apiRef);
    gateway?.api.routes.set(routeKey, functionName);
    return Boolean(gateway);
  }

  /**
   * A value naming a WebSocket API's execute-api endpoint (https://<api>.execute-api.<region>.amazonaws.com)
   * points at its local gateway instead (http://127.0.0.1:<port>): the management API client follows it.
   */
  localize(value: string): string {
    let result = value;
    for (const gateway of this.gateways.values()) {
      result = result.replaceAll(
        `https://${gateway.api.apiId}.execute-api.${this.options.region}.amazonaws.com`,
        gateway.url.replace(/^ws:/, 'http:'),
      );
    }
    return result;
  }

  attach(invoker: Invoker): void {
    for (const gateway of this.gateways.values()) gateway.attach(invoker);
  }

  /** The first API's URL with its stage (`ws://127.0.0.1:<port>/<stage>`), for .local/endpoints.json and the pages. */
  endpoint(stage: string): string | undefined {
    const first = this.gateways.values().next().value;
    return first ? `${first.url}/${stage}` : undefined;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.gateways.values()].map((g) => g.stop()));
  }
}
