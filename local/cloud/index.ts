import { createServer, type Server } from 'node:http';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { join, resolve } from 'node:path';
import { createRuntime, type LambdaRuntime } from '../runtime/index.ts';
import { startDeliveryStream } from '../firehose/index.ts';
import { startMapping } from '../mappings/index.ts';
import { startDynamoDb } from '../services/dynamodb.ts';
import { startKinesis } from '../services/kinesis.ts';
import { startRedis } from '../services/redis.ts';
import { freshDataDir } from '../services/data-dir.ts';
import { startS3 } from '../services/s3.ts';
import { startSns } from '../services/sns.ts';
import { startSqs } from '../services/sqs.ts';
import {
  LOCAL_ACCOUNT,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type RunningService,
  type ServiceControl,
} from '../services/types.ts';
import { packageService } from '../template.ts';
import { bucketBrowser, stackBuckets } from './buckets.ts';
import { tableBrowser } from './tables.ts';
import { localClients } from './clients.ts';
import { consoleListener } from './console.ts';
import { httpApiListener } from './http-api.ts';
import type { CloudModel, CorsModel } from './model.ts';
import { deliverS3Event, deliverSnsNotification } from './notifications.ts';
import { provision } from './provision.ts';
import { localRedis } from './local-redis.ts';
import { localSecretStore } from './secrets.ts';
import { startSecretsManager } from '../services/secrets-manager.ts';
import { authorizeRequest, localSigningKey, mintIdToken } from './jwt-authorizer.ts';
import { startLocalServer } from './servers.ts';
import { collectStats } from './stats.ts';
import { WebSocketApis, type GatewayOptions } from '../websocket/index.ts';

export interface LocalCloudOptions {
  /** Folder with the serverless.yml to run. */
  serviceDir: string;
  stage?: string;
  /** Where packaging output and local state go (default <serviceDir>/.local). */
  stateDir?: string;
  httpPort?: number;
  consolePort?: number;
  redisUrl?: string;
  webDir?: string;
  /** Added to every function's environment, e.g. FAULT_DYNAMODB_WRITE_RATE; a function of the endpoints for tools that interpose. */
  functionEnvironment?: Record<string, string> | ((endpoints: Endpoints) => Record<string, string>);
  /** Receives the functions' log lines; default: printed with the function name. */
  onLog?: (functionName: string, line: string) => void;
  asyncRetryDelaysMs?: number[];
  /** Runs another handler file for a function, e.g. a naive baseline in a benchmark. */
  handlerOverrides?: Record<string, string>;
  /** `npm start -- --inspect <function>`: that function's sandbox listens for a debugger on this port. */
  inspect?: { functionName: string; port: number };
  /** Told as each service and step comes up, with the milliseconds it took (npm start prints them). */
  onStep?: (name: string, ms: number) => void;
  /** The WebSocket APIs' idle timeout and connection limit (default 10 minutes and 2 hours, as API Gateway). */
  websocket?: GatewayOptions;
}

export interface Endpoints {
  http: string;
  console: string;
  dynamodb: string;
  kinesis: string;
  s3: string;
  sqs: string;
  sns: string;
  secretsmanager: string;
  redis: string;
  [name: string]: string;
}

export interface LocalCloud {
  endpoints: Endpoints;
  model: CloudModel;
  runtime: LambdaRuntime;
  /** The environment a function runs with (for tools and tests that act like it). */
  functionEnvironment(name: string): Record<string, string>;
  stats(): Promise<unknown>;
  /** The services that can be stopped and started again without losing data (dynamodb, redis; kinesis made unreachable). */
  services: Record<string, ServiceControl>;
  stop(): Promise<void>;
}

/** Brings the service up on local stand-ins of its AWS resources, as its packaged template describes them. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const serviceDir = resolve(options.serviceDir);
  const stage = options.stage ?? 'dev';
  const started: RunningService[] = [];
  const servers: Server[] = [];
  const stoppables: Array<{ stop(): Promise<void> }> = [];
  const timed = async <T>(name: string, work: Promise<T>, since = performance.now()): Promise<T> => {
    const value = await work;
    options.onStep?.(name, performance.now() - since);
    return value;
  };
  try {
    const services = await startServices(options, serviceDir, stage, { started, timed });
    const http = await listen(servers, options.httpPort);
    const consoleUrl = await listen(servers, options.consolePort);
    const websocketApis = new WebSocketApis({ ...options.websocket, region: LOCAL_REGION });
    stoppables.push(websocketApis);
    const model = await timed(
      'provisioned the template',
      provisionTemplate(services, serviceDir, http.url, websocketApis),
    );
    applyOverrides(model, options);
    const endpoints = endpointsOf(services, http.url, consoleUrl.url, websocketApis.endpoint(stage));
    const baseEnvironment = functionBaseEnvironment(endpoints, options);
    const runtime = createRuntime({
      functions: model.functions,
      baseEnvironment,
      sendToDestination: destinationSender(services),
      ...pick(options, 'onLog', 'asyncRetryDelaysMs'),
    });
    websocketApis.attach(runtime);
    const { mappings, deliveryStreams } = startEventSources(model, runtime, services);
    stoppables.unshift(...mappings, ...deliveryStreams);
    const stats = () => collectStats({ model, runtime, mappings, sqs: services.sqs, endpoints });
    const controls = Object.fromEntries(
      started.flatMap((service) => (service.control ? [[service.name, service.control] as const] : [])),
    );
    serveHttpApi(servers[0]!, model, runtime, services.signingKey, consoleUrl.url);
    servers[1]!.on(
      'request',
      consoleFor({ options, serviceDir, model, runtime, services, endpoints, stats, controls }),
    );
    const functionEnvironment = (name: string) => {
      const fn = model.functions.find((f) => f.name === name);
      if (!fn) throw new Error(`no function ${name}`);
      return { ...baseEnvironment, ...fn.environment };
    };
    await startServers(services.serverSpecs, { serviceDir, options, functionEnvironment, timed, started, endpoints });
    return {
      endpoints,
      model,
      runtime,
      functionEnvironment,
      stats,
      services: controls,
      stop: async () => {
        await Promise.all(stoppables.map((s) => s.stop()));
        await runtime.stop();
        await stopAll(servers, started);
      },
    };
  } catch (error) {
    await Promise.allSettled(stoppables.map((s) => s.stop()));
    await stopAll(servers, started);
    throw error;
  }
}

/** Creates the template's resources on the local services. */
function provisionTemplate(services: Services, serviceDir: string, httpApiUrl: string, websocketApis: WebSocketApis) {
  const { template, stackName, secrets, clients, sqs, sns, elastiCache } = services;
  return provision(template, {
    ...{ serviceDir, stackName, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT, httpApiUrl, secrets, sqs, sns },
    ...{ dynamodb: clients.dynamodb, kinesis: clients.kinesis, s3: clients.s3, redis: elastiCache, websocketApis },
  });
}

const pick = <T, K extends keyof T>(value: T, ...keys: K[]) =>
  Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;

type Timed = <T>(name: string, work: Promise<T>, since?: number) => Promise<T>;
type Services = Awaited<ReturnType<typeof startServices>>;

/** The packaged template and every local service, started together; each started service is tracked for stop(). */
async function startServices(
  options: LocalCloudOptions,
  serviceDir: string,
  stage: string,
  { started, timed }: { started: RunningService[]; timed: Timed },
) {
  const stateDir = options.stateDir ?? join(serviceDir, '.local');
  const [{ template, stackName, servers: serverSpecs }, dynamodb, kinesis, s3, redis, sqs, sns] = await Promise.all([
    timed('packaged serverless.yml', packageService(serviceDir, stage, join(stateDir, 'package'))),
    // DynamoDB and Redis keep their data in a folder, so chaos tests can restart them (Kinesis: see startKinesis).
    track(started, timed('DynamoDB Local', startDynamoDb({ dataDir: freshDataDir(stateDir, 'dynamodb') }))),
    track(started, timed('Kinesis', startKinesis())),
    track(started, timed('S3 (s3rver)', startS3())),
    track(
      started,
      timed(
        options.redisUrl ? 'Redis (REDIS_URL)' : 'Redis',
        startRedis(options.redisUrl ? { url: options.redisUrl } : { dataDir: freshDataDir(stateDir, 'redis') }),
      ),
    ),
    track(started, timed('SQS', startSqs())),
    track(started, timed('SNS', startSns())),
  ]);
  const secrets = localSecretStore(join(stateDir, 'secrets.json'));
  const secretsManager = await track(started, timed('Secrets Manager', startSecretsManager(secrets)));
  const signingKey = await localSigningKey(join(stateDir, 'jwt-signing-key.json'));
  const clients = localClients({ dynamodb: dynamodb.endpoint, kinesis: kinesis.endpoint, s3: s3.endpoint });
  return {
    template,
    stackName,
    serverSpecs,
    dynamodb,
    kinesis,
    s3,
    sqs,
    sns,
    secrets,
    secretsManager,
    signingKey,
    clients,
    elastiCache: localRedis(redis),
  };
}

/** A benchmark's baseline handler, and the function a debugger attaches to (`--inspect`). */
function applyOverrides(model: CloudModel, options: LocalCloudOptions): void {
  for (const [name, file] of Object.entries(options.handlerOverrides ?? {})) {
    const fn = model.functions.find((f) => f.name === name);
    if (!fn) throw new Error(`handler override for unknown function ${name}`);
    fn.handlerFile = resolve(file);
  }
  if (!options.inspect) return;
  const fn = model.functions.find((f) => f.name === options.inspect!.functionName);
  if (!fn)
    throw new Error(
      `--inspect names no function of the stack: ${options.inspect.functionName} (functions: ${model.functions.map((f) => f.name).join(', ')})`,
    );
  fn.inspectPort = options.inspect.port;
}

function endpointsOf(services: Services, http: string, console: string, websocket: string | undefined): Endpoints {
  return {
    http,
    console,
    dynamodb: services.dynamodb.endpoint,
    kinesis: services.kinesis.endpoint,
    s3: services.s3.endpoint,
    sqs: services.sqs.endpoint,
    sns: services.sns.endpoint,
    secretsmanager: services.secretsManager.endpoint,
    redis: services.elastiCache.url(),
    ...(websocket ? { websocket } : {}),
  };
}

/** What every function's environment starts with: the local credentials and the services' endpoints. */
function functionBaseEnvironment(endpoints: Endpoints, options: LocalCloudOptions): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
    AWS_ENDPOINT_URL_KINESIS: endpoints.kinesis,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsmanager,
    // No X-Ray daemon here: Powertools Tracer stays off (the sandboxes look like Lambda to it otherwise).
    POWERTOOLS_TRACE_ENABLED: 'false',
    ...(typeof options.functionEnvironment === 'function'
      ? options.functionEnvironment(endpoints)
      : options.functionEnvironment),
  };
}

/** On-failure destinations: a queue, a topic, or (a stream mapping's failed batch) a bucket. */
function destinationSender({ sqs, sns, clients }: Services) {
  return async (arn: string, message: unknown, destination: { objectKey?: string } = {}) => {
    if (arn.startsWith('arn:aws:sqs:')) sqs.sendByArn(arn, JSON.stringify(message));
    else if (arn.startsWith('arn:aws:sns:')) sns.publish(arn, JSON.stringify(message));
    else if (arn.startsWith('arn:aws:s3:::') && destination.objectKey) {
      // As Lambda writes a stream mapping's failed batch: one JSON object under aws/lambda/<mapping UUID>/<shard>/…
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: arn.slice('arn:aws:s3:::'.length),
          Key: destination.objectKey,
          Body: JSON.stringify(message),
          ContentType: 'application/json',
        }),
      );
    } else throw new Error(`unsupported on-failure destination ${arn}`);
  };
}

/** What invokes functions besides the APIs: stream mappings, S3 and SNS notifications, Firehose delivery streams. */
function startEventSources(model: CloudModel, runtime: LambdaRuntime, services: Services) {
  const { clients, s3, sns, sqs } = services;
  const mappings = model.mappings
    .filter((m) => m.enabled)
    .map((spec) =>
      startMapping(spec, {
        runtime,
        sendToDestination: destinationSender(services),
        clients: { kinesis: clients.kinesis, dynamodbStreams: clients.dynamodbStreams },
      }),
    );
  const targets = { sns, sqs, runtime, functions: model.functions, region: LOCAL_REGION };
  s3.onObjectEvent((event) => deliverS3Event(event, model.bucketNotifications, targets));
  sns.onPublish((notification) => deliverSnsNotification(notification, model.subscriptions, targets));
  const deliveryStreams = (model.deliveryStreams ?? []).map((spec) =>
    startDeliveryStream(spec, {
      kinesis: clients.kinesis,
      s3: clients.s3,
      runtime,
      region: LOCAL_REGION,
    }),
  );
  return { mappings, deliveryStreams };
}

function serveHttpApi(
  server: Server,
  model: CloudModel,
  runtime: LambdaRuntime,
  signingKey: Services['signingKey'],
  consoleUrl: string,
): void {
  server.on(
    'request',
    httpApiListener({
      routes: model.routes,
      cors: model.cors && withConsoleOrigin(model.cors, consoleUrl),
      invoker: runtime,
      authorize: (route, headers) => authorizeRequest(signingKey, route.authorizer!, headers),
    }),
  );
}

/** The console: the pages with their local config, the pipeline views, tokens for the local user pool. */
function consoleFor({
  options,
  serviceDir,
  model,
  runtime,
  services,
  endpoints,
  stats,
  controls,
}: {
  options: LocalCloudOptions;
  serviceDir: string;
  model: CloudModel;
  runtime: LambdaRuntime;
  services: Services;
  endpoints: Endpoints;
  stats: () => Promise<unknown>;
  controls: Record<string, ServiceControl>;
}) {
  const { clients, sqs, sns, signingKey } = services;
  // Tokens are minted for the stack's (first) JWT authorizer: its issuer is the local user pool.
  const tokenAuthorizer = model.routes.find((route) => route.authorizer)?.authorizer;
  return consoleListener({
    webDir: options.webDir ?? join(serviceDir, 'web'),
    pageConfig: () => ({
      apiUrl: endpoints.http,
      ...(endpoints.websocket ? { resultsSocketUrl: endpoints.websocket } : {}),
      ...(endpoints.tracking ? { trackingUrl: endpoints.tracking } : {}),
      // The pages sign in through the console's token endpoint (on AWS: the hosted UI, scripts/deploy-web.ts).
      ...(tokenAuthorizer ? { auth: { mode: 'local', tokenUrl: `${endpoints.console}/_local/auth/token` } } : {}),
    }),
    stats,
    services: controls,
    invoke: (name, event) => runtime.invoke(name, event),
    buckets: bucketBrowser(clients.s3, stackBuckets(model.resources)),
    tables: tableBrowser(clients.dynamodb, model.resources),
    ...(tokenAuthorizer
      ? { mintToken: (user: string, groups: string[]) => mintIdToken(signingKey, tokenAuthorizer, user, { groups }) }
      : {}),
    queueMessages: (name) => sqs.peek(name),
    topicMessages: (name) => {
      const arn = sns.topicArns().find((topicArn) => topicArn.endsWith(`:${name}`));
      return arn ? sns.recent(arn) : undefined;
    },
  });
}

/** Long-running processes beside the functions (the tracking server), each with its function's environment. */
async function startServers(
  specs: Services['serverSpecs'],
  context: {
    serviceDir: string;
    options: LocalCloudOptions;
    functionEnvironment: (name: string) => Record<string, string>;
    timed: Timed;
    started: RunningService[];
    endpoints: Endpoints;
  },
): Promise<void> {
  const log = context.options.onLog ?? ((name: string, line: string) => process.stdout.write(`[${name}] ${line}\n`));
  for (const spec of specs) {
    const server = await context.timed(
      `${spec.name} server`,
      startLocalServer(spec, context.serviceDir, context.functionEnvironment(spec.environmentOf), (line) =>
        log(spec.name, line),
      ),
    );
    context.started.push(server);
    context.endpoints[spec.name] = server.endpoint;
  }
}

/**
 * Locally the console serves the pages the web distribution serves in AWS, so its origin (by either
 * name of the loopback host) is allowed wherever the distribution's is.
 */
function withConsoleOrigin(cors: CorsModel, consoleUrl: string): CorsModel {
  const { port } = new URL(consoleUrl);
  return { ...cors, allowOrigins: [...cors.allowOrigins, `http://127.0.0.1:${port}`, `http://localhost:${port}`] };
}

async function track<T extends RunningService>(started: RunningService[], starting: Promise<T>): Promise<T> {
  const service = await starting;
  started.push(service);
  return service;
}

async function listen(servers: Server[], port = 0): Promise<{ url: string }> {
  const server = createServer();
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is in use: stop what uses it, or choose another port (see README)`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolveListen);
  });
  servers.push(server);
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}` };
}

async function stopAll(servers: Server[], services: RunningService[]): Promise<void> {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  await Promise.allSettled(services.map((service) => service.stop()));
}
