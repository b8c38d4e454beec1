import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageService, resourcesOfType, type Template } from '@refarch/local-cloud';
import { checkCompliance } from '../../scripts/lib/guard.ts';
import { crossFunctionGrants, wildcardProblems } from '../../scripts/lib/iam-review.ts';

// What `npm run package -- --stage prod` generates is what deploys: check the parts that make the
// voting app correct and secure, without an AWS account.
const serviceDir = resolve(import.meta.dirname, '../..');
let template: Template;

beforeAll(async () => {
  ({ template } = await packageService(serviceDir, 'prod', join(serviceDir, '.local', 'prod-package')));
});

/** The browser origins that may PUT photos: the web distribution's, and corsOrigins when it is set. */
const WEB_ORIGINS = {
  'Fn::If': [
    'HasCorsOrigins',
    { 'Fn::Split': [',', { 'Fn::Sub': 'https://${WebDistribution.DomainName},' }] },
    [{ 'Fn::Sub': 'https://${WebDistribution.DomainName}' }],
  ],
};

/** Actions every function's role has whatever it does: its own log group, and sending its X-Ray traces (no resource-level permissions). */
const everyFunctionAction = (action: string) => action.startsWith('logs:') || action.startsWith('xray:');
/** A role's statements without those every function has. */
const ownStatements = <S extends { Action: string | string[] }>(statements: S[]) =>
  statements.filter((s) => ![s.Action].flat().every(everyFunctionAction));

const resource = (id: string) => {
  const found = template.Resources[id];
  if (!found) throw new Error(`no resource ${id}`);
  return found.Properties as Record<string, unknown>;
};

describe('the prod CloudFormation template', () => {
  it('streams VoteApp with old and new images into aggregateVotes', () => {
    expect(resource('VoteApp').StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const properties = resource('AggregateVotesEventSourceMappingDynamodbVoteApp');
    expect(properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['VoteApp', 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedBatchesBucket', 'Arn'] } } },
    });
    expect(properties.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it('serves live results on a WebSocket API routed by action: $connect, $disconnect, getTotals and $default', () => {
    expect(resource('WebsocketsApi')).toMatchObject({
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    const routes = Object.fromEntries(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
        .filter(
          ([, route]) =>
            JSON.stringify((route.Properties as Record<string, unknown>).ApiId) ===
            JSON.stringify({ Ref: 'WebsocketsApi' }),
        )
        .map(([, route]) => {
          const { RouteKey, Target, AuthorizationType } = route.Properties as {
            RouteKey: string;
            Target: { 'Fn::Join': [string, [string, { Ref: string }]] };
            AuthorizationType: string;
          };
          expect(AuthorizationType, RouteKey).toBe('NONE'); // results are public, as GET /results is
          return [RouteKey, Target['Fn::Join'][1][1].Ref.replace(/WebsocketsIntegration$/, '')];
        }),
    );
    expect(routes).toEqual({
      $connect: 'ConnectViewer',
      $disconnect: 'DisconnectViewer',
      getTotals: 'SendTotals',
      $default: 'SendTotals',
    });
  });

  it("keeps viewers' connections in an encrypted, recoverable table whose rows expire, and streams total changes into pushTotals", () => {
    expect(resource('ResultsConnections')).toMatchObject({
      KeySchema: [{ AttributeName: 'ConnectionId', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'ExpiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(resource('VoteAppAggregates').StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(resource('PushTotalsEventSourceMappingDynamodbVoteAppAggregates')).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['VoteAppAggregates', 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 2,
      MaximumRecordAgeInSeconds: 60,
    });
  });

  it("lets only sendTotals and pushTotals post to connections, of this API's stage only, and each live-results role only its own table actions", () => {
    const statementsOf = (roleId: string) =>
      (
        resource(roleId).Policies as Array<{
          PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> };
        }>
      ).flatMap((p) => ownStatements(p.PolicyDocument.Statement));
    const manage = {
      Effect: 'Allow',
      Action: ['execute-api:ManageConnections'],
      Resource: {
        'Fn::Sub':
          'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketsApi}/prod/POST/@connections/*',
      },
    };
    const roles = resourcesOfType(template, 'AWS::IAM::Role')
      .map(([id]) => id)
      .filter((id) => id !== 'IamRoleLambdaExecution' && id.endsWith('IamRoleLambdaExecution'));
    const managing = roles.filter((id) => JSON.stringify(statementsOf(id)).includes('execute-api:'));
    expect(managing.sort()).toEqual(['PushTotalsIamRoleLambdaExecution', 'SendTotalsIamRoleLambdaExecution']);
    for (const role of managing) expect(statementsOf(role)).toContainEqual(manage);
    const actions = (role: string) =>
      [
        ...new Set(
          statementsOf(role)
            .flatMap((s) => [s.Action].flat())
            .filter((a) => a.startsWith('dynamodb:')),
        ),
      ].sort();
    expect(actions('ConnectViewerIamRoleLambdaExecution')).toEqual(['dynamodb:PutItem']);
    expect(actions('DisconnectViewerIamRoleLambdaExecution')).toEqual(['dynamodb:DeleteItem']);
    expect(actions('SendTotalsIamRoleLambdaExecution')).toEqual(['dynamodb:BatchGetItem']);
    expect(actions('PushTotalsIamRoleLambdaExecution')).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:DeleteItem',
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:Scan',
    ]);
    const endpoint = { 'Fn::Sub': 'https://${WebsocketsApi}.execute-api.${AWS::Region}.amazonaws.com/prod' };
    for (const fn of ['SendTotalsLambdaFunction', 'PushTotalsLambdaFunction'])
      expect(
        (resource(fn).Environment as { Variables: Record<string, unknown> }).Variables.WEBSOCKET_ENDPOINT,
        fn,
      ).toEqual(endpoint);
  });

  it('encrypts every table, stream, queue and topic at rest', () => {
    for (const [, table] of resourcesOfType(template, 'AWS::DynamoDB::Table'))
      expect(table.Properties?.SSESpecification).toEqual({ SSEEnabled: true });
    for (const [, queue] of resourcesOfType(template, 'AWS::SQS::Queue'))
      expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    for (const [, stream] of resourcesOfType(template, 'AWS::Kinesis::Stream'))
      expect(stream.Properties?.StreamEncryption).toMatchObject({ EncryptionType: 'KMS' });
    for (const [, topic] of resourcesOfType(template, 'AWS::SNS::Topic'))
      expect(topic.Properties?.KmsMasterKeyId).toBeDefined();
  });

  it('runs the tracking Redis encrypted, with an AUTH token, reachable only from the Redis-using functions in the VPC', () => {
    expect(resource('TrackingRedis')).toMatchObject({
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      AuthToken: expect.stringContaining('{{resolve:secretsmanager:'),
    });
    expect(resource('RedisSecurityGroup').SecurityGroupIngress).toEqual([
      expect.objectContaining({ FromPort: 6379, SourceSecurityGroupId: { Ref: 'LambdaSecurityGroup' } }),
    ]);
    for (const fn of ['TrackEventLambdaFunction', 'UpdateCoreDataLambdaFunction'])
      expect(resource(fn).VpcConfig).toBeDefined();
    expect(resource('PersistTrackingEventsLambdaFunction').VpcConfig).toBeUndefined();
    expect(resourcesOfType(template, 'AWS::EC2::NatGateway')).toEqual([]);
    expect(
      resourcesOfType(template, 'AWS::EC2::VPCEndpoint').map(([, e]) => JSON.stringify(e.Properties?.ServiceName)),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining('kinesis-streams'),
        expect.stringContaining('secretsmanager'),
        expect.stringContaining('dynamodb'),
        expect.stringContaining('ecr.api'),
        expect.stringContaining('ecr.dkr'),
        expect.stringContaining('logs'),
        expect.stringContaining('.s3'),
      ]),
    );
    expect(resourcesOfType(template, 'AWS::EC2::VPCEndpoint')).toHaveLength(7);
  });

  it('gives every function its own role', () => {
    const roles = resourcesOfType(template, 'AWS::Lambda::Function').map(([, fn]) =>
      JSON.stringify((fn.Properties as Record<string, unknown>).Role),
    );
    expect(new Set(roles).size).toBe(roles.length);
  });

  it('lets each role touch only the tables its function uses', () => {
    const statements = (roleId: string) =>
      JSON.stringify((resource(roleId).Policies as Array<{ PolicyDocument: unknown }>).map((p) => p.PolicyDocument));
    expect(statements('CastVoteIamRoleLambdaExecution')).not.toMatch(/VoteAppAggregates|VoteAppAppliedVotes|Tracking/);
    expect(statements('TrackEventIamRoleLambdaExecution')).not.toMatch(/dynamodb:/);
    expect(statements('GetResultsIamRoleLambdaExecution')).not.toMatch(/"VoteApp"|UpdateItem/);
    expect(statements('AggregateVotesIamRoleLambdaExecution')).not.toMatch(/"Action":"\*"|dynamodb:\*/);
  });

  it('blocks public access to the web bucket and throttles the HTTP API', () => {
    expect(resource('WebBucket').PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(resource('HttpApiStage').DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 1000,
      ThrottlingBurstLimit: 2000,
    });
  });

  it('fans Markdown created or removed in the input bucket out through one encrypted topic that only that bucket may publish to', () => {
    const input = resource('InputBucket');
    const configs = (input.NotificationConfiguration as { TopicConfigurations: Array<Record<string, unknown>> })
      .TopicConfigurations;
    expect(configs.map((c) => `${String(c.Event)} ${JSON.stringify(c.Filter)}`).sort()).toEqual([
      's3:ObjectCreated:* {"S3Key":{"Rules":[{"Name":"suffix","Value":".markdown"}]}}',
      's3:ObjectCreated:* {"S3Key":{"Rules":[{"Name":"suffix","Value":".md"}]}}',
      's3:ObjectRemoved:* {"S3Key":{"Rules":[{"Name":"suffix","Value":".markdown"}]}}',
      's3:ObjectRemoved:* {"S3Key":{"Rules":[{"Name":"suffix","Value":".md"}]}}',
    ]);
    for (const c of configs) expect(c.Topic).toEqual({ Ref: 'FileEventsTopic' });
    expect(template.Resources.InputBucket!.DependsOn).toEqual(['FileEventsTopicPolicy']);
    expect(resource('FileEventsTopic').KmsMasterKeyId).toEqual({ Ref: 'FileEventsKey' });
    const [statement] = (
      resource('FileEventsTopicPolicy').PolicyDocument as { Statement: Array<Record<string, unknown>> }
    ).Statement;
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sns:Publish',
    });
    // The condition names exactly the input bucket's name.
    expect(JSON.stringify(statement!.Condition)).toContain(
      JSON.stringify((input.BucketName as { 'Fn::Sub': string })['Fn::Sub']).slice(1, -1),
    );
    const subscribers = resourcesOfType(template, 'AWS::SNS::Subscription').map(([, s]) =>
      JSON.stringify(s.Properties?.Endpoint),
    );
    for (const fn of ['RenderHtml', 'RenderText', 'ExtractMetadata'])
      expect(subscribers.some((endpoint) => endpoint.includes(`${fn}LambdaFunction`))).toBe(true);
  });

  it('encrypts both file buckets and blocks their public access', () => {
    for (const id of ['InputBucket', 'OutputBucket']) {
      expect(resource(id).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(resource(id).BucketEncryption).toMatchObject({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      });
    }
  });

  it('retries each file function a bounded number of times, then sends the event to the files dead-letter queue', () => {
    for (const fn of ['RenderHtml', 'RenderText', 'ExtractMetadata']) {
      expect(resource(`${fn}LambdaEvConf`)).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FilesDeadLetterQueue', 'Arn'] } } },
      });
    }
  });

  it('lets each file function read the input bucket and write only its own artifact', () => {
    const statements = (roleId: string) =>
      JSON.stringify(
        ownStatements(
          (resource(roleId).Policies as Array<{ PolicyDocument: { Statement: Array<{ Action: string[] }> } }>).flatMap(
            (p) => p.PolicyDocument.Statement,
          ),
        ),
      );
    expect(statements('RenderHtmlIamRoleLambdaExecution')).toContain('/html/*');
    expect(statements('RenderHtmlIamRoleLambdaExecution')).not.toMatch(/\/text\/\*|dynamodb:/);
    expect(statements('RenderTextIamRoleLambdaExecution')).toContain('/text/*');
    expect(statements('RenderTextIamRoleLambdaExecution')).not.toMatch(/\/html\/\*|dynamodb:/);
    expect(statements('ExtractMetadataIamRoleLambdaExecution')).not.toMatch(/s3:PutObject|s3:DeleteObject/);
    for (const fn of ['RenderHtml', 'RenderText', 'ExtractMetadata'])
      expect(statements(`${fn}IamRoleLambdaExecution`)).not.toMatch(/"s3:\*"|"Resource":"\*"/);
  });

  it('reads SensorEventStream with two independent consumers, partial batch responses, failed batches kept whole', () => {
    for (const fn of ['StoreSensorReadings', 'ArchiveSensorReadings']) {
      expect(resource(`${fn}EventSourceMappingKinesisSensorEventStream`)).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': ['SensorEventStream', 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedBatchesBucket', 'Arn'] } } },
      });
    }
  });

  it('lets devices do nothing but put records on SensorEventStream', () => {
    expect(resource('DevicePublishPolicy').PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
          Resource: { 'Fn::GetAtt': ['SensorEventStream', 'Arn'] },
        },
      ],
    });
    expect(resource('ArchiveBucket').PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('reads ActivityStream with partial batch responses, bisection, bounded retries and record age, then keeps failed batches whole', () => {
    const mapping = resource('ProcessActivityEventsEventSourceMappingKinesisActivityStream');
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['ActivityStream', 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedBatchesBucket', 'Arn'] } } },
    });
    expect(mapping.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(mapping.MaximumRetryAttempts).toBeLessThanOrEqual(10_000);
    expect(mapping.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
  });

  it('encrypts ActivityStream, EventData (with point-in-time recovery) and the activity dead-letter queue', () => {
    expect(resource('ActivityStream')).toMatchObject({
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS' },
    });
    expect(resource('EventData')).toMatchObject({
      KeySchema: [
        { AttributeName: 'Username', KeyType: 'HASH' },
        { AttributeName: 'Id', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(resource('ActivityDeadLetterQueue')).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
  });

  it('lets processActivityEvents write only EventData, read only ActivityStream and send only to its dead-letter queue', () => {
    type Statement = { Action: string[]; Resource: unknown };
    const [policy] = resource('ProcessActivityEventsIamRoleLambdaExecution').Policies as Array<{
      PolicyDocument: { Statement: Statement[] };
    }>;
    const allowed = new Set(['EventData', 'ActivityStream', 'ActivityDeadLetterQueue', 'FailedBatchesBucket']);
    for (const statement of policy!.PolicyDocument.Statement) {
      const resources = [statement.Resource].flat();
      if (statement.Action.every(everyFunctionAction)) continue;
      for (const action of statement.Action)
        expect(action).toMatch(
          /^(dynamodb:BatchWriteItem|kinesis:(GetRecords|GetShardIterator|DescribeStream|DescribeStreamSummary|ListShards|ListStreams)|sqs:SendMessage|s3:PutObject|s3:ListBucket)$/,
        );
      // The on-failure destination: objects only under the prefix Lambda writes.
      if (statement.Action.includes('s3:PutObject')) {
        expect(resources).toEqual([{ 'Fn::Sub': '${FailedBatchesBucket.Arn}/aws/lambda/*' }]);
        continue;
      }
      // ListStreams has no resource-level permissions: the only action allowed on '*'.
      if (resources.includes('*')) expect(statement.Action).toEqual(['kinesis:ListStreams']);
      else
        for (const target of resources)
          expect(allowed.has((target as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!)).toBe(true);
    }
  });

  it('puts every mobile route (notes, photos) behind the JWT authorizer of the notes user pool', () => {
    expect(resource('HttpApiAuthorizerNotesAuthorizer')).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: 'NotesUserPoolClient' }],
        Issuer: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${NotesUserPool}' },
      },
    });
    const mobileRoutes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
      .map(([, route]) => route.Properties as Record<string, unknown>)
      .filter((route) => /^[A-Z]+ \/(notes|photos)(\/|$)/.test(String(route.RouteKey)));
    expect(mobileRoutes.map((route) => route.RouteKey)).toEqual(
      expect.arrayContaining(['POST /notes', 'GET /notes/{noteId}', 'GET /notes/search', 'POST /photos']),
    );
    for (const route of mobileRoutes)
      expect(route).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: 'HttpApiAuthorizerNotesAuthorizer' },
      });
  });

  it('lets browsers call the HTTP API cross-origin only from the configured corsOrigins, never *', () => {
    // The pages reach the API through the web distribution, their own origin: no CORS needed for them.
    expect(resource('HttpApi').CorsConfiguration).toMatchObject({
      AllowOrigins: { 'Fn::If': ['HasCorsOrigins', { 'Fn::Split': [',', ''] }, { Ref: 'AWS::NoValue' }] },
      AllowMethods: expect.arrayContaining(['GET', 'POST']),
    });
    expect(JSON.stringify(template)).not.toMatch(/"Allow(ed)?Origins":\["\*"\]/);
    // corsOrigins is empty by default: the condition leaves AllowOrigins out.
    expect(template.Conditions?.HasCorsOrigins).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('signs users in by e-mail with a public app client limited to SRP and refresh tokens', () => {
    expect(resource('NotesUserPool')).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      DeletionProtection: 'ACTIVE',
    });
    expect(
      (resource('NotesUserPool').Policies as { PasswordPolicy: { MinimumLength: number } }).PasswordPolicy
        .MinimumLength,
    ).toBeGreaterThanOrEqual(12);
    expect(resource('NotesUserPoolClient')).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('lets the pages sign in through the hosted UI with the code flow only, back to the two pages of the web distribution', () => {
    const pages = ['results.html', 'iot.html'].map((page) => ({
      'Fn::Sub': `https://\${WebDistribution.DomainName}/${page}`,
    }));
    expect(resource('NotesUserPoolClient')).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: pages,
      LogoutURLs: pages,
    });
    const prefix = 'refarch-prod-${AWS::AccountId}';
    expect(resource('NotesUserPoolDomain')).toEqual({
      Domain: { 'Fn::Sub': prefix },
      UserPoolId: { Ref: 'NotesUserPool' },
    });
    expect(template.Outputs?.NotesUserPoolDomainUrl).toEqual({
      Value: { 'Fn::Sub': `https://${prefix}.auth.\${AWS::Region}.amazoncognito.com` },
    });
  });

  it('has an operators group, and puts the IoT routes behind the JWT authorizer (the functions require the group)', () => {
    expect(resource('OperatorsGroup')).toMatchObject({ GroupName: 'operators', UserPoolId: { Ref: 'NotesUserPool' } });
    const iotRoutes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
      .map(([, route]) => route.Properties as Record<string, unknown>)
      .filter((route) => String(route.RouteKey).includes(' /sensors'));
    expect(iotRoutes.map((route) => route.RouteKey).sort()).toEqual([
      'GET /sensors/alerts',
      'GET /sensors/{sensorId}/readings',
      'POST /sensors/readings',
    ]);
    for (const route of iotRoutes)
      expect(route).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: 'HttpApiAuthorizerNotesAuthorizer' },
      });
  });

  it('keeps photos in an encrypted, private, TLS-only bucket that createPhotoUploadUrl may only put into under photos/', () => {
    const bucket = resource('PhotosBucket');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toMatchObject({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    });
    expect(bucket.CorsConfiguration).toMatchObject({
      CorsRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: WEB_ORIGINS }],
    });
    expect(JSON.stringify(bucket.LifecycleConfiguration)).toContain('AbortIncompleteMultipartUpload');
    expect(JSON.stringify(resource('PhotosBucketPolicy').PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    const statements = (
      resource('CreatePhotoUploadUrlIamRoleLambdaExecution').Policies as Array<{
        PolicyDocument: { Statement: Array<Record<string, unknown>> };
      }>
    )
      .flatMap((policy) => policy.PolicyDocument.Statement)
      .filter((statement) => !JSON.stringify(statement.Action).includes('logs:'));
    expect(ownStatements(statements as Array<{ Action: string[] }>)).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: { 'Fn::Sub': '${PhotosBucket.Arn}/photos/*' } },
    ]);
    expect(resource('CreatePhotoUploadUrlLambdaFunction').Environment).toMatchObject({
      Variables: { PHOTOS_BUCKET: { Ref: 'PhotosBucket' }, MAX_PHOTO_BYTES: '10485760' },
    });
  });

  it('keys Notes by user and note, streams it into indexNotes with partial batch responses, and keeps both tables recoverable', () => {
    const recoverable = {
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    };
    expect(resource('Notes')).toMatchObject({
      KeySchema: [
        { AttributeName: 'UserId', KeyType: 'HASH' },
        { AttributeName: 'NoteId', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      ...recoverable,
    });
    expect(resource('NotesSearchIndex')).toMatchObject({
      KeySchema: [
        { AttributeName: 'UserTerm', KeyType: 'HASH' },
        { AttributeName: 'NoteId', KeyType: 'RANGE' },
      ],
      ...recoverable,
    });
    const mapping = resource('IndexNotesEventSourceMappingDynamodbNotes');
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['Notes', 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedBatchesBucket', 'Arn'] } } },
    });
    expect(mapping.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(resource('NotesDeadLetterQueue')).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('lets each notes function do only its own operations on the notes tables', () => {
    // Each allowed action with its resource, once (the stream actions are also added by the per-function roles plugin).
    const grants = (fn: string) =>
      [
        ...new Set(
          (
            resource(`${fn}IamRoleLambdaExecution`).Policies as Array<{
              PolicyDocument: { Statement: Array<{ Action: string[]; Resource: unknown }> };
            }>
          )
            .flatMap((policy) => policy.PolicyDocument.Statement)
            .flatMap((statement) =>
              statement.Action.filter((action) => !everyFunctionAction(action)).flatMap((action) =>
                [statement.Resource].flat().map((target) => `${action} ${JSON.stringify(target)}`),
              ),
            ),
        ),
      ].sort();
    const notes = '{"Fn::GetAtt":["Notes","Arn"]}';
    const index = '{"Fn::GetAtt":["NotesSearchIndex","Arn"]}';
    const stream = '{"Fn::GetAtt":["Notes","StreamArn"]}';
    expect(grants('CreateNote')).toEqual([`dynamodb:PutItem ${notes}`]);
    expect(grants('GetNote')).toEqual([`dynamodb:GetItem ${notes}`]);
    expect(grants('UpdateNote')).toEqual([`dynamodb:UpdateItem ${notes}`]);
    expect(grants('DeleteNote')).toEqual([`dynamodb:DeleteItem ${notes}`]);
    expect(grants('SearchNotes')).toEqual([`dynamodb:BatchGetItem ${notes}`, `dynamodb:Query ${index}`]);
    expect(grants('IndexNotes')).toEqual([
      `dynamodb:BatchGetItem ${notes}`,
      `dynamodb:BatchWriteItem ${index}`,
      ...['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'].map(
        (action) => `dynamodb:${action} ${stream}`,
      ),
      's3:ListBucket {"Fn::GetAtt":["FailedBatchesBucket","Arn"]}',
      's3:PutObject {"Fn::Sub":"${FailedBatchesBucket.Arn}/aws/lambda/*"}',
      'sqs:SendMessage {"Fn::GetAtt":["NotesDeadLetterQueue","Arn"]}',
    ]);
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
      .map(([, route]) => route.Properties as Record<string, unknown>)
      .filter((route) => String(route.RouteKey).includes(' /notes'));
    expect(routes.map((route) => route.RouteKey).sort()).toEqual([
      'DELETE /notes/{noteId}',
      'GET /notes/search',
      'GET /notes/{noteId}',
      'POST /notes',
      'PUT /notes/{noteId}',
    ]);
    for (const route of routes)
      expect(route).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: 'HttpApiAuthorizerNotesAuthorizer' },
      });
  });

  it('delivers LogStream through Firehose and transformLogRecords into CentralLogBucket, failed records under errors/', () => {
    const firehose = resource('CentralLogDeliveryStream');
    expect(firehose).toMatchObject({
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: {
        KinesisStreamARN: { 'Fn::GetAtt': ['LogStream', 'Arn'] },
        RoleARN: { 'Fn::GetAtt': ['CentralLogDeliveryRole', 'Arn'] },
      },
      ExtendedS3DestinationConfiguration: {
        BucketARN: { 'Fn::GetAtt': ['CentralLogBucket', 'Arn'] },
        Prefix: expect.stringContaining('!{timestamp:'),
        ErrorOutputPrefix: expect.stringContaining('!{firehose:error-output-type}'),
        CompressionFormat: 'GZIP',
        BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 64 },
        CloudWatchLoggingOptions: { Enabled: true },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'Lambda',
              Parameters: expect.arrayContaining([
                {
                  ParameterName: 'LambdaArn',
                  ParameterValue: { 'Fn::GetAtt': ['TransformLogRecordsLambdaFunction', 'Arn'] },
                },
              ]),
            },
          ],
        },
      },
    });
    expect(resource('LogStream').StreamEncryption).toMatchObject({ EncryptionType: 'KMS' });
    expect(resource('TransformLogRecordsLambdaFunction').Environment).toMatchObject({
      Variables: { LOG_STREAM: { Ref: 'LogStream' } },
    });
  });

  it('keeps central logs encrypted and private, and moves them to Glacier after 60 days', () => {
    const bucket = resource('CentralLogBucket');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toMatchObject({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    });
    expect(bucket.LifecycleConfiguration).toMatchObject({
      Rules: [{ Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 60 }] }],
    });
    expect(JSON.stringify(resource('CentralLogBucketPolicy').PolicyDocument)).toContain(
      '"aws:SecureTransport":"false"',
    );
  });

  it('lets only the configured source accounts subscribe to the log destination, which writes to LogStream', () => {
    const destination = resource('LogDestination');
    expect(destination).toMatchObject({
      TargetArn: { 'Fn::GetAtt': ['LogStream', 'Arn'] },
      RoleArn: { 'Fn::GetAtt': ['LogDestinationRole', 'Arn'] },
    });
    const [policy, variables] = (destination.DestinationPolicy as { 'Fn::Sub': [string, { Accounts: unknown }] })[
      'Fn::Sub'
    ];
    expect(JSON.parse(policy.replace('${Accounts}', '111111111111'))).toMatchObject({
      Statement: [{ Effect: 'Allow', Principal: { AWS: ['111111111111'] }, Action: 'logs:PutSubscriptionFilter' }],
    });
    expect(JSON.stringify(variables.Accounts)).toContain('${AWS::AccountId}');
    const trust = JSON.stringify(resource('LogDestinationRole').AssumeRolePolicyDocument);
    expect(trust).toContain('logs.amazonaws.com');
    expect(trust).toContain('aws:SourceArn');
  });

  it('gives Firehose, the log destination and transformLogRecords only the actions and resources they use', () => {
    const statements = (roleId: string) =>
      (
        resource(roleId).Policies as Array<{
          PolicyDocument: { Statement: Array<{ Action: string[]; Resource: unknown }> };
        }>
      ).flatMap((policy) => policy.PolicyDocument.Statement);
    for (const role of ['CentralLogDeliveryRole', 'LogDestinationRole', 'TransformLogRecordsIamRoleLambdaExecution']) {
      for (const statement of ownStatements(statements(role))) {
        expect(statement.Action.some((action) => action.includes('*'))).toBe(false);
        expect(statement.Resource).not.toBe('*');
      }
    }
    const delivery = JSON.stringify(statements('CentralLogDeliveryRole'));
    expect(delivery).toContain('"lambda:InvokeFunction","lambda:GetFunctionConfiguration"');
    expect(delivery).toContain('TransformLogRecordsLambdaFunction');
    expect(delivery).not.toMatch(/kinesis:Put|s3:Delete/);
    expect(statements('LogDestinationRole')).toEqual([
      { Effect: 'Allow', Action: ['kinesis:PutRecord'], Resource: { 'Fn::GetAtt': ['LogStream', 'Arn'] } },
    ]);
    expect(ownStatements(statements('TransformLogRecordsIamRoleLambdaExecution'))).toEqual([
      { Effect: 'Allow', Action: ['kinesis:PutRecords'], Resource: { 'Fn::GetAtt': ['LogStream', 'Arn'] } },
    ]);
  });
});

describe('the front door (CloudFront + AWS WAF) of the prod template', () => {
  const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
  const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
  type Behaviour = {
    PathPattern?: string;
    TargetOriginId: string;
    AllowedMethods?: string[];
    CachePolicyId: unknown;
    OriginRequestPolicyId?: string;
  };
  const distribution = () =>
    resource('WebDistribution').DistributionConfig as {
      Origins: Array<{
        Id: string;
        DomainName: unknown;
        CustomOriginConfig?: Record<string, unknown>;
        OriginCustomHeaders?: Array<{ HeaderName: string }>;
      }>;
      DefaultCacheBehavior: Behaviour;
      CacheBehaviors: Behaviour[];
      WebACLId: unknown;
    };
  /** CloudFront path patterns: `*` is any run of characters (also `/`), `?` one character, case-sensitive. */
  const matches = (pattern: string, path: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
        .replaceAll('?', '.')}$`,
    ).test(path);
  /** The behaviour CloudFront picks for a path: the first whose pattern matches, else the default one. */
  const behaviourFor = (path: string) =>
    distribution().CacheBehaviors.find((b) => matches(String(b.PathPattern), path)) ??
    distribution().DefaultCacheBehavior;
  /** Every route of the HTTP API (from the template, so a new route is checked too), with a path that fits it. */
  const routes = () =>
    resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
      .filter(([, route]) => JSON.stringify(route.Properties?.ApiId) === '{"Ref":"HttpApi"}')
      .map(([, route]) => {
        const [method, routePath] = String(route.Properties?.RouteKey).split(' ') as [string, string];
        return { method, routePath, path: routePath.replace(/\{[^}]+\}/g, 'x1') };
      });
  const apiOrigin = () =>
    distribution().Origins.find((origin) => JSON.stringify(origin.DomainName).includes('${HttpApi}.execute-api.'))!;

  it('sends every HTTP API route through the distribution to the API origin over HTTPS only', () => {
    expect(routes().length).toBeGreaterThan(10);
    expect(apiOrigin()).toMatchObject({
      DomainName: { 'Fn::Sub': '${HttpApi}.execute-api.${AWS::Region}.amazonaws.com' },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    for (const { method, routePath, path } of routes()) {
      const behaviour = behaviourFor(path);
      // Tracking hits go to the tracking service once it runs (infra/tracking-service.yml), to the API before.
      const target =
        routePath === '/event/{programId}'
          ? { 'Fn::If': ['HasTrackerImage', 'tracker', apiOrigin().Id] }
          : apiOrigin().Id;
      expect(behaviour.TargetOriginId, `${method} ${routePath}`).toEqual(target);
      expect(behaviour.AllowedMethods, `${method} ${routePath}`).toContain(method);
    }
    // The pages stay on the bucket.
    for (const page of ['/results.html', '/iot.html', '/config.js'])
      expect(behaviourFor(page).TargetOriginId).toBe('web');
  });

  it("forwards what the API needs (Authorization, X-Twilio-Signature, query strings), never the viewer's Host, and caches nothing but GET /results", () => {
    for (const { method, routePath, path } of routes()) {
      const behaviour = behaviourFor(path);
      if (routePath === '/results') continue;
      // All viewer headers, cookies and query strings except Host; with caching disabled that includes Authorization.
      expect(behaviour, `${method} ${routePath}`).toMatchObject({
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
      });
    }
    expect(behaviourFor('/votes/sms')).toMatchObject({
      PathPattern: '/votes/sms',
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
    });
    for (const behaviour of distribution().CacheBehaviors.filter((b) => b.TargetOriginId === apiOrigin().Id)) {
      expect([undefined, ALL_VIEWER_EXCEPT_HOST]).toContain(behaviour.OriginRequestPolicyId);
      const policy = (behaviour.CachePolicyId as { Ref?: string }).Ref;
      if (policy) expect(JSON.stringify(resource(policy)).toLowerCase()).not.toContain('"host"');
    }
    expect(JSON.stringify(apiOrigin().OriginCustomHeaders ?? []).toLowerCase()).not.toContain('host');
  });

  it('caches GET /results for one second, keyed on nothing a viewer sends', () => {
    const behaviour = behaviourFor('/results');
    expect(behaviour).toMatchObject({ TargetOriginId: apiOrigin().Id, AllowedMethods: ['GET', 'HEAD'] });
    const policyId = (behaviour.CachePolicyId as { Ref: string }).Ref;
    expect(template.Resources[policyId]?.Type).toBe('AWS::CloudFront::CachePolicy');
    expect(resource(policyId).CachePolicyConfig).toMatchObject({
      MinTTL: 1,
      DefaultTTL: 1,
      MaxTTL: 1,
      ParametersInCacheKeyAndForwardedToOrigin: {
        CookiesConfig: { CookieBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
      },
    });
  });

  it('creates the web ACL only in us-east-1 (else takes webAclArn) and attaches it to the distribution', () => {
    expect(template.Conditions?.CreatesWebAcl).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(template.Resources.WebAcl).toMatchObject({
      Type: 'AWS::WAFv2::WebACL',
      Condition: 'CreatesWebAcl',
      Properties: { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } },
    });
    expect(distribution().WebACLId).toEqual({
      'Fn::If': [
        'CreatesWebAcl',
        { 'Fn::GetAtt': ['WebAcl', 'Arn'] },
        { 'Fn::If': ['HasWebAclArn', '', { Ref: 'AWS::NoValue' }] },
      ],
    });
  });

  it('blocks a client IP over rateLimitPer5Min requests in 5 minutes, runs the common and known-bad-inputs rule sets, and has metrics on everything', () => {
    type Rule = {
      Name: string;
      Action?: unknown;
      Statement: Record<string, Record<string, unknown>>;
      VisibilityConfig: Record<string, unknown>;
    };
    const acl = resource('WebAcl') as { Rules: Rule[]; VisibilityConfig: Record<string, unknown> };
    const limit = Number(/rateLimitPer5Min: (\d+)/.exec(readFileSync(join(serviceDir, 'serverless.yml'), 'utf8'))?.[1]);
    const rate = acl.Rules.find((rule) => rule.Statement.RateBasedStatement);
    expect(rate).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: limit, EvaluationWindowSec: 300 } },
    });
    // Polling the cached results does not use up a viewer's budget.
    expect(rate?.Statement.RateBasedStatement).toMatchObject({
      ScopeDownStatement: {
        NotStatement: {
          Statement: {
            ByteMatchStatement: {
              SearchString: '/results',
              PositionalConstraint: 'EXACTLY',
              FieldToMatch: { UriPath: {} },
            },
          },
        },
      },
    });
    expect(limit).toBeGreaterThanOrEqual(10);
    const groups = acl.Rules.map((rule) => rule.Statement.ManagedRuleGroupStatement).filter(Boolean);
    expect(groups.map((group) => `${String(group!.VendorName)}:${String(group!.Name)}`).sort()).toEqual([
      'AWS:AWSManagedRulesCommonRuleSet',
      'AWS:AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    for (const visibility of [acl.VisibilityConfig, ...acl.Rules.map((rule) => rule.VisibilityConfig)]) {
      expect(visibility).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
    }
  });

  it('lets bodies over 8 KB through only on the routes that accept them (notes, sensor readings)', () => {
    type Rule = {
      Name: string;
      Action?: unknown;
      Statement: {
        ManagedRuleGroupStatement?: { Name: string; RuleActionOverrides?: unknown[] };
        AndStatement?: { Statements: unknown[] };
      };
    };
    const rules = (resource('WebAcl') as { Rules: Rule[] }).Rules;
    const common = rules.find(
      (rule) => rule.Statement.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesCommonRuleSet',
    )!;
    expect(common.Statement.ManagedRuleGroupStatement!.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    const block = rules.find((rule) => JSON.stringify(rule.Statement).includes('core-rule-set:SizeRestrictions_Body'))!;
    expect(block.Action).toEqual({ Block: {} });
    expect(rules.indexOf(block)).toBeGreaterThan(rules.indexOf(common));
    const [label, not] = block.Statement.AndStatement!.Statements as [
      unknown,
      { NotStatement: { Statement: { RegexMatchStatement: { RegexString: string; FieldToMatch: unknown } } } },
    ];
    expect(label).toEqual({
      LabelMatchStatement: { Scope: 'LABEL', Key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body' },
    });
    const { RegexString, FieldToMatch } = not.NotStatement.Statement.RegexMatchStatement;
    expect(FieldToMatch).toEqual({ UriPath: {} });
    const exempt = new RegExp(RegexString);
    for (const path of ['/notes', '/notes/x1', '/sensors/readings']) expect(exempt.test(path), path).toBe(true);
    for (const path of ['/votes', '/votes/sms', '/photos', '/notes/x1/more', '/sensors/x1/readings'])
      expect(exempt.test(path), path).toBe(false);
  });
});

describe('least privilege and compliance of the prod template', () => {
  it('allows no wildcard action, and no * resource where the action can name one', () => {
    expect(wildcardProblems(template)).toEqual([]);
  });

  it('gives no function role a resource its function is not wired to', () => {
    expect(crossFunctionGrants(template)).toEqual([]);
  });

  it('passes every AWS Control Tower proactive control (cfn-guard), or suppresses it in the template with a reason', async () => {
    const report = await checkCompliance(
      serviceDir,
      join(serviceDir, '.local', 'prod-package', 'cloudformation-template-update-stack.json'),
    );
    expect(report.failures.map((f) => `${f.control} ${f.rule} on ${f.resource}`)).toEqual([]);
    expect(report.unused).toEqual([]);
    expect(report.passed.length).toBeGreaterThan(0);
    expect(report.suppressed.every((finding) => finding.reason.length > 10)).toBe(true);
  }, 300_000); // cfn-guard over ~280 rules takes about a minute on an idle machine of this kind

  it("throttles the HTTP API and writes its access logs to a log group encrypted with the stack's key", () => {
    expect(resource('HttpApiStage')).toMatchObject({
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': ['HttpApiLogGroup', 'Arn'] } },
    });
    expect(resource('HttpApiLogGroup')).toMatchObject({
      KmsKeyId: { 'Fn::GetAtt': ['LogsKey', 'Arn'] },
      RetentionInDays: 365,
    });
    for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup'))
      expect(group.Properties?.KmsKeyId).toBeDefined();
  });
});

describe('secrets and verified entry points in the prod template', () => {
  const functions = () => resourcesOfType(template, 'AWS::Lambda::Function');
  const policyStatements = (functionId: string) => {
    const role = (template.Resources[functionId]!.Properties!.Role as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const policies = (template.Resources[role]!.Properties!.Policies ?? []) as Array<{
      PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> };
    }>;
    return policies.flatMap((policy) => policy.PolicyDocument.Statement);
  };

  it('puts no secret value in any function environment: no dynamic reference, only secret ARNs', () => {
    for (const [id, fn] of functions()) {
      expect(JSON.stringify(fn.Properties?.Environment ?? {}), id).not.toContain('{{resolve:');
    }
  });

  it('lets each function read exactly the secrets its environment names, and nothing else of Secrets Manager', () => {
    const expected: Record<string, string[]> = {
      CastVoteLambdaFunction: ['TwilioAuthToken', 'VoterHashKey'],
      TrackEventLambdaFunction: ['RedisAuthToken'],
      UpdateCoreDataLambdaFunction: ['RedisAuthToken'],
    };
    for (const [id, fn] of functions()) {
      const variables =
        (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      const named = Object.entries(variables)
        .filter(([name]) => name.endsWith('_SECRET'))
        .map(([, value]) => (value as { Ref: string }).Ref)
        .sort();
      expect(named, id).toEqual(expected[id] ?? []);
      const granted = policyStatements(id).filter((s) =>
        [s.Action].flat().some((action) => action.startsWith('secretsmanager:')),
      );
      expect(
        granted.flatMap((s) => [s.Action].flat()),
        id,
      ).toEqual(granted.length ? ['secretsmanager:GetSecretValue'] : []);
      expect(
        granted
          .flatMap((s) => [s.Resource].flat())
          .map((r) => (r as { Ref: string }).Ref)
          .sort(),
        id,
      ).toEqual(named);
    }
  });

  it('puts POST /votes behind the JWT authorizer and leaves the Twilio webhook to its signature check', () => {
    const routes = Object.fromEntries(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties!.RouteKey, r.Properties!]),
    );
    expect(routes['POST /votes']).toMatchObject({ AuthorizationType: 'JWT' });
    expect(routes['POST /votes/sms']?.AuthorizationType).toBeUndefined();
    const variables = (resource('CastVoteLambdaFunction').Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(variables.SMS_WEBHOOK_URL).toEqual({
      'Fn::If': ['HasSmsWebhookUrl', '', { 'Fn::Sub': '${HttpApi.ApiEndpoint}/votes/sms' }],
    });
  });

  it('lets the Redis-using functions in the VPC reach Secrets Manager through an endpoint (no NAT)', () => {
    expect(resource('SecretsManagerEndpoint')).toMatchObject({
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.secretsmanager' },
    });
  });
});

describe('alarms and the dashboard of the prod template (deploy/observability.cjs, DESIGN.md §4)', () => {
  const alarms = () => resourcesOfType(template, 'AWS::CloudWatch::Alarm');
  const alarmsOn = (namespace: string, metric: string) =>
    alarms().filter(([, a]) => a.Properties?.Namespace === namespace && a.Properties?.MetricName === metric);
  const dimensionValues = (namespace: string, metric: string) =>
    alarmsOn(namespace, metric).map(([, a]) =>
      JSON.stringify((a.Properties!.Dimensions as Array<{ Value: unknown }>)[0]!.Value),
    );

  it('alarms on a message in every dead-letter queue', () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue')
      .map(([id]) => id)
      .filter((id) => id.endsWith('DeadLetterQueue'));
    expect(queues.length).toBeGreaterThanOrEqual(6);
    expect(dimensionValues('AWS/SQS', 'ApproximateNumberOfMessagesVisible').sort()).toEqual(
      queues.map((id) => JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] })).sort(),
    );
    for (const [id, alarm] of alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible'))
      expect(alarm.Properties, id).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('alarms on errors and throttles of every function, over 5 minutes', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function')
      .map(([id]) => JSON.stringify({ Ref: id }))
      .sort();
    for (const metric of ['Errors', 'Throttles']) {
      expect(dimensionValues('AWS/Lambda', metric).sort(), metric).toEqual(functions);
      for (const [id, alarm] of alarmsOn('AWS/Lambda', metric))
        expect(alarm.Properties, id).toMatchObject({
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 0,
        });
    }
  });

  it('alarms on the iterator age of every Kinesis and DynamoDB stream consumer above iteratorAgeAlarmSeconds (60 s)', () => {
    const consumers = new Set(
      resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')
        .map(
          ([, m]) =>
            m.Properties as {
              EventSourceArn: { 'Fn::GetAtt': [string, string] };
              FunctionName: { 'Fn::GetAtt': [string, string] };
            },
        )
        .filter((m) =>
          ['AWS::Kinesis::Stream', 'AWS::DynamoDB::Table'].includes(
            template.Resources[m.EventSourceArn['Fn::GetAtt'][0]]!.Type,
          ),
        )
        .map((m) => JSON.stringify({ Ref: m.FunctionName['Fn::GetAtt'][0] })),
    );
    expect(consumers.size).toBe(8);
    expect(dimensionValues('AWS/Lambda', 'IteratorAge').sort()).toEqual([...consumers].sort());
    for (const [id, alarm] of alarmsOn('AWS/Lambda', 'IteratorAge'))
      expect(alarm.Properties, id).toMatchObject({ Statistic: 'Maximum', Threshold: 60_000 });
  });

  it('alarms on the HTTP API 5xx rate, Firehose delivery and freshness, and the web ACL (only where the ACL exists)', () => {
    expect(resource('HttpApiServerErrorRateAlarm').Metrics).toEqual(
      expect.arrayContaining([expect.objectContaining({ Expression: '100 * errors / requests' })]),
    );
    expect(resource('CentralLogDeliveryStreamDeliveryAlarm')).toMatchObject({
      MetricName: 'DeliveryToS3.Success',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    // prod buffers 300 s in the transformation and 300 s in the S3 buffer, plus five minutes.
    expect(resource('CentralLogDeliveryStreamFreshnessAlarm')).toMatchObject({
      MetricName: 'DeliveryToS3.DataFreshness',
      Threshold: 900,
    });
    expect(template.Resources.WebAclBlockedRequestsAlarm).toMatchObject({
      Condition: 'CreatesWebAcl',
      Properties: { Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests' },
    });
    expect(resource('WebAclBlockedRequestsAlarm').Dimensions).toEqual([
      { Name: 'WebACL', Value: 'refarch-prod-front-door' },
      { Name: 'Rule', Value: 'ALL' },
    ]);
  });

  it('sends every alarm, and its recovery, to the encrypted AlarmTopic; e-mails it only when alarmEmail is set', () => {
    expect(alarms().length).toBeGreaterThan(60);
    for (const [id, alarm] of alarms()) {
      expect(alarm.Properties, id).toMatchObject({
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
      });
      expect(['notBreaching'], id).toContain(alarm.Properties!.TreatMissingData);
    }
    expect(resource('AlarmTopic').KmsMasterKeyId).toEqual({ Ref: 'AlarmTopicKey' });
    expect(resource('AlarmTopicKey').EnableKeyRotation).toBe(true);
    expect(JSON.stringify(resource('AlarmTopicKey').KeyPolicy)).toContain(
      '"Principal":{"Service":"cloudwatch.amazonaws.com"}',
    );
    expect(template.Resources.AlarmEmailSubscription).toMatchObject({
      Condition: 'HasAlarmEmail',
      Properties: { Protocol: 'email', TopicArn: { Ref: 'AlarmTopic' } },
    });
    expect(template.Conditions?.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('has one dashboard: a section per pipeline, Redis health and the tracking service, every name resolved by Fn::Sub', () => {
    const dashboards = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboards.map(([id]) => id)).toEqual(['OperationsDashboard']);
    const body = (resource('OperationsDashboard').DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    const widgets = (JSON.parse(body) as { widgets: Array<{ type: string; properties: { markdown?: string } }> })
      .widgets;
    expect(widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown)).toEqual([
      '## Votes',
      '## Ad tracking',
      '## File processing',
      '## IoT',
      '## Notes (mobile backend)',
      '## Activity stream',
      '## Central logging',
      '## Redis health (ElastiCache)',
      '## Tracking service',
    ]);
    for (const [, name] of body.matchAll(/\$\{([^}]+)\}/g)) {
      const [id] = name!.split('.');
      if (!id!.startsWith('AWS::')) expect(template.Resources[id!], name).toBeDefined();
    }
  });
});

describe('failed batches kept whole, streams that keep what their mappings accept', () => {
  const mappings = () =>
    resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').map(
      ([id, m]) => [id, m.Properties as Record<string, unknown>] as const,
    );
  const sourceId = (properties: Record<string, unknown>) =>
    (properties.EventSourceArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
  const functionOf = (properties: Record<string, unknown>) =>
    (properties.FunctionName as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

  it("sends every stream mapping's failed batches to FailedBatchesBucket, which each of those functions may write", () => {
    const streamMappings = mappings().filter(([, properties]) =>
      ['Arn', 'StreamArn'].includes(sourceId(properties)[1]),
    );
    expect(streamMappings.map(([id]) => id).sort()).toEqual([
      'AggregateVotesEventSourceMappingDynamodbVoteApp',
      'ArchiveSensorReadingsEventSourceMappingKinesisSensorEventStream',
      'IndexNotesEventSourceMappingDynamodbNotes',
      'PersistTrackingEventsEventSourceMappingKinesisTrackingEventStream',
      'ProcessActivityEventsEventSourceMappingKinesisActivityStream',
      'PushTotalsEventSourceMappingDynamodbVoteAppAggregates',
      'StoreSensorReadingsEventSourceMappingKinesisSensorEventStream',
      'UpdateCoreDataEventSourceMappingKinesisCoreDataStream',
    ]);
    for (const [id, properties] of streamMappings) {
      expect(properties.DestinationConfig, id).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': ['FailedBatchesBucket', 'Arn'] } },
      });
      const role = `${functionOf(properties).replace(/LambdaFunction$/, '')}IamRoleLambdaExecution`;
      const statements = (
        resource(role).Policies as Array<{
          PolicyDocument: { Statement: Array<{ Action: string[]; Resource: unknown }> };
        }>
      ).flatMap((p) => p.PolicyDocument.Statement);
      expect(statements, role).toContainEqual({
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: { 'Fn::Sub': '${FailedBatchesBucket.Arn}/aws/lambda/*' },
      });
      expect(statements, role).toContainEqual({
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: { 'Fn::GetAtt': ['FailedBatchesBucket', 'Arn'] },
      });
    }
  });

  it('keeps FailedBatchesBucket encrypted, private, TLS-only, logged and expiring', () => {
    const bucket = resource('FailedBatchesBucket');
    expect(bucket.BucketEncryption).toMatchObject({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: 'AccessLogsBucket' } });
    const rules = (bucket.LifecycleConfiguration as { Rules: Array<{ Status: string; ExpirationInDays?: number }> })
      .Rules;
    expect(
      rules.some(
        (rule) => rule.Status === 'Enabled' && rule.ExpirationInDays !== undefined && rule.ExpirationInDays <= 90,
      ),
    ).toBe(true);
    expect(resource('FailedBatchesBucketPolicy').PolicyDocument).toMatchObject({
      Statement: [
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ],
    });
  });

  it("keeps every Kinesis stream's records at least as long as its mappings accept them", () => {
    const streams = resourcesOfType(template, 'AWS::Kinesis::Stream');
    for (const [id, stream] of streams) {
      const ages = mappings()
        .filter(([, properties]) => sourceId(properties)[0] === id)
        .map(([, properties]) => Number(properties.MaximumRecordAgeInSeconds ?? -1));
      if (ages.length === 0) continue;
      // -1 would accept records until the stream drops them: every mapping here bounds the age.
      for (const age of ages) expect(age, id).toBeGreaterThan(0);
      const hours = Number(stream.Properties?.RetentionPeriodHours ?? 24);
      expect(hours * 3600, id).toBeGreaterThanOrEqual(Math.max(...ages));
      expect(hours, id).toBeLessThanOrEqual(8760);
    }
    expect(resource('CoreDataStream').RetentionPeriodHours).toBe(168);
  });

  it('accepts no DynamoDB-stream record older than the 24 hours a table stream keeps it', () => {
    const dynamodbMappings = mappings().filter(([, properties]) => sourceId(properties)[1] === 'StreamArn');
    expect(dynamodbMappings.length).toBe(3);
    for (const [id, properties] of dynamodbMappings) {
      expect(properties.MaximumRecordAgeInSeconds, id).toBeGreaterThan(0);
      expect(properties.MaximumRecordAgeInSeconds, id).toBeLessThanOrEqual(86_400);
    }
  });
});

describe('tracing and reserved concurrency of the prod template (README "Operate")', () => {
  const functions = () => resourcesOfType(template, 'AWS::Lambda::Function');

  it('traces every function with X-Ray (TracingConfig Active), and every function role may send its traces', () => {
    expect(functions().length).toBeGreaterThan(20);
    for (const [id, fn] of functions()) expect([id, fn.Properties?.TracingConfig]).toEqual([id, { Mode: 'Active' }]);
    for (const [id, fn] of functions()) {
      const roleId = (fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = (
        resource(roleId).Policies as Array<{ PolicyDocument: { Statement: Array<{ Action: string | string[] }> } }>
      ).flatMap((policy) => policy.PolicyDocument.Statement);
      const actions = statements.flatMap((statement) => [statement.Action].flat());
      expect([id, actions]).toEqual([
        id,
        expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
      ]);
    }
  });

  it('reserves concurrency for castVote (50) and trackEvent (100) only', () => {
    const reserved = Object.fromEntries(
      functions()
        .filter(([, fn]) => fn.Properties?.ReservedConcurrentExecutions !== undefined)
        .map(([id, fn]) => [id, fn.Properties?.ReservedConcurrentExecutions]),
    );
    expect(reserved).toEqual({ CastVoteLambdaFunction: 50, TrackEventLambdaFunction: 100 });
  });
});

describe('the tracking service (infra/tracking-service.yml)', () => {
  const container = () =>
    (resource('TrackerTaskDefinition').ContainerDefinitions as Array<Record<string, unknown>>)[0]!;
  const attribute = (id: string, list: string, key: string) =>
    (resource(id)[list] as Array<{ Key: string; Value: unknown }>).find((a) => a.Key === key)?.Value;

  it('runs on Fargate arm64 in the private subnets, without a public IP, only once an image tag is given', () => {
    expect(resource('TrackerTaskDefinition')).toMatchObject({
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
    expect(resource('TrackerService')).toMatchObject({
      LaunchType: 'FARGATE',
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          Subnets: [{ Ref: 'PrivateSubnetA' }, { Ref: 'PrivateSubnetB' }],
        },
      },
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    });
    for (const id of ['TrackerTaskDefinition', 'TrackerService', 'TrackerScalableTarget', 'TrackerCpuScaling'])
      expect(template.Resources[id]!.Condition, id).toBe('HasTrackerImage');
    expect(template.Conditions!.HasTrackerImage).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('runs the container as a non-root user on a read-only root file system, logging to an encrypted log group', () => {
    expect(container()).toMatchObject({
      User: '1000',
      Privileged: false,
      ReadonlyRootFilesystem: true,
      LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'TrackerLogGroup' } } },
    });
    expect(resource('TrackerLogGroup').KmsKeyId).toEqual({ 'Fn::GetAtt': ['LogsKey', 'Arn'] });
    const names = (container().Environment as Array<{ Name: string }>).map((e) => e.Name);
    const lambdaNames = Object.keys(
      (resource('TrackEventLambdaFunction').Environment as { Variables: object }).Variables,
    ).filter((name) => !/^(NODE_OPTIONS|POWERTOOLS_|AWS_)/.test(name));
    expect(lambdaNames).toContain('REDIS_AUTH_SECRET');
    expect(names).toEqual(expect.arrayContaining(lambdaNames));
    expect(JSON.stringify(container())).not.toMatch(/"Secrets"|AWS_ACCESS_KEY_ID/);
  });

  it('health-checks /health/check, and drains a leaving task for less time than ECS waits before SIGKILL', () => {
    expect(resource('TrackerTargetGroup')).toMatchObject({
      TargetType: 'ip',
      Port: 8080,
      HealthCheckPath: '/health/check',
    });
    const deregistration = Number(
      attribute('TrackerTargetGroup', 'TargetGroupAttributes', 'deregistration_delay.timeout_seconds'),
    );
    expect(deregistration).toBeGreaterThan(0);
    expect(deregistration).toBeLessThan(container().StopTimeout as number);
    const server = readFileSync(join(serviceDir, 'src/server/tracking/main.ts'), 'utf8');
    expect(Number(/SHUTDOWN_GRACE_MS = ([\d_]+)/.exec(server)![1]!.replace(/_/g, '')) / 1000).toBeLessThan(
      container().StopTimeout as number,
    );
  });

  it('gives the task role exactly PutRecords on the tracking stream and the Redis secret; the execution role pulls and logs', () => {
    const statements = (id: string) =>
      (resource(id).Policies as Array<{ PolicyDocument: { Statement: unknown[] } }>).flatMap(
        (p) => p.PolicyDocument.Statement,
      );
    expect(statements('TrackerTaskRole')).toEqual([
      { Effect: 'Allow', Action: ['kinesis:PutRecords'], Resource: { 'Fn::GetAtt': ['TrackingEventStream', 'Arn'] } },
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: { Ref: 'RedisAuthToken' } },
    ]);
    expect(JSON.stringify(statements('TrackerExecutionRole'))).not.toMatch(/kinesis|secretsmanager/);
  });

  it('sits behind an internal load balancer that drops invalid headers and logs access, reached by CloudFront over a VPC origin for /event/*', () => {
    expect(resource('TrackerLoadBalancer')).toMatchObject({
      Scheme: 'internal',
      Subnets: [{ Ref: 'PrivateSubnetA' }, { Ref: 'PrivateSubnetB' }],
    });
    expect(
      attribute('TrackerLoadBalancer', 'LoadBalancerAttributes', 'routing.http.drop_invalid_header_fields.enabled'),
    ).toBe('true');
    expect(attribute('TrackerLoadBalancer', 'LoadBalancerAttributes', 'access_logs.s3.enabled')).toBe('true');
    expect(resource('TrackerVpcOrigin').VpcOriginEndpointConfig).toMatchObject({ Arn: { Ref: 'TrackerLoadBalancer' } });
    const config = resource('WebDistribution').DistributionConfig as {
      Origins: Array<Record<string, unknown>>;
      CacheBehaviors: Array<Record<string, unknown>>;
      WebACLId: unknown;
    };
    expect(config.Origins.find((o) => o.Id === 'tracker')).toMatchObject({
      VpcOriginConfig: { VpcOriginId: { 'Fn::GetAtt': ['TrackerVpcOrigin', 'Id'] } },
    });
    expect(config.CacheBehaviors.find((b) => b.PathPattern === '/event/*')!.TargetOriginId).toEqual({
      'Fn::If': ['HasTrackerImage', 'tracker', 'api'],
    });
    expect(config.WebACLId).toBeDefined();
    // Tasks take traffic from the load balancer only.
    expect(resource('TrackerTaskSecurityGroup').SecurityGroupIngress).toEqual([
      expect.objectContaining({ FromPort: 8080, SourceSecurityGroupId: { Ref: 'TrackerLoadBalancerSecurityGroup' } }),
    ]);
  });

  it('names only attributes a VPC endpoint has, and looks up the log-delivery account with a default (language extensions)', () => {
    // AWS::EC2::VPCEndpoint's GetAtt attributes: CreationTimestamp, DnsEntries, Id, NetworkInterfaceIds.
    const endpointIds = new Set(resourcesOfType(template, 'AWS::EC2::VPCEndpoint').map(([id]) => id));
    const attributes = [
      ...JSON.stringify(template.Resources).matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)","([A-Za-z.]+)"\]/g),
    ]
      .filter(([, id]) => endpointIds.has(id!))
      .map(([, , attribute]) => attribute);
    for (const attribute of attributes)
      expect(['CreationTimestamp', 'DnsEntries', 'Id', 'NetworkInterfaceIds']).toContain(attribute);
    expect((template as { Transform?: unknown }).Transform).toEqual(['AWS::LanguageExtensions']);
    expect(JSON.stringify(resource('TrackerLoadBalancerLogsBucketPolicy'))).toContain('"DefaultValue"');
  });

  it('scales the service by target tracking between trackerMinCount and trackerMaxCount', () => {
    expect(resource('TrackerScalableTarget')).toMatchObject({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 2,
      MaxCapacity: 10,
    });
    expect(resource('TrackerCpuScaling')).toMatchObject({
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: { Ref: 'TrackerScalableTarget' },
    });
  });

  it('keeps images in an encrypted, scanned repository with immutable tags and a lifecycle policy', () => {
    expect(resource('TrackerRepository')).toMatchObject({
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS' },
    });
    expect(
      JSON.parse((resource('TrackerRepository').LifecyclePolicy as { LifecyclePolicyText: string }).LifecyclePolicyText)
        .rules,
    ).toHaveLength(1);
  });

  it("alarms on the service's 5xx rate and unhealthy tasks, under its condition", () => {
    for (const id of [
      'TrackerServiceServerErrorRateAlarm',
      'TrackerServiceUnhealthyTasksAlarm',
      'TrackerServiceNoHealthyTaskAlarm',
    ]) {
      expect(template.Resources[id], id).toMatchObject({
        Type: 'AWS::CloudWatch::Alarm',
        Condition: 'HasTrackerImage',
        Properties: { AlarmActions: [{ Ref: 'AlarmTopic' }] },
      });
    }
  });
});
