import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { awsConfig, invokeFunction, physicalId } from './cloud.ts';
import { dynamodbStreamRecord, type StreamEventName } from './dynamodb-stream-event.ts';

const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));

/** A user id (a token's `sub`) no other test uses. */
export const uniqueUser = (label: string) => `it-${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

export interface NoteJson {
  noteId: string;
  headline: string;
  text: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export interface SearchJson {
  terms: string[];
  total: number;
  notes: Array<{ noteId: string; headline: string; snippet: string; score: number; updatedAt: string }>;
}

/** An HTTP API (payload 2.0) event for a notes route, as API Gateway sends it once `notesAuthorizer` verified `user` (none: no claims). */
export function notesEvent(
  routeKey: string,
  options: { user?: string; noteId?: string; body?: unknown; query?: Record<string, string> } = {},
) {
  const [method, template] = routeKey.split(' ') as [string, string];
  const path = options.noteId === undefined ? template : template.replace('{noteId}', options.noteId);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: {
      host: 'localhost',
      'user-agent': 'integration-test',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.noteId === undefined ? {} : { pathParameters: { noteId: options.noteId } }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'local',
      stage: '$default',
      routeKey,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'integration-test' },
      requestId: `it-${Math.random().toString(36).slice(2)}`,
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.user === undefined
        ? {}
        : { authorizer: { jwt: { claims: { sub: options.user, token_use: 'id' }, scopes: null } } }),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

/** Invokes a notes function on the local cloud with such an event: its status and parsed JSON body. */
export async function callNotes<T = unknown>(
  functionName: string,
  routeKey: string,
  options: Parameters<typeof notesEvent>[1] = {},
): Promise<{ status: number; body: T }> {
  const result = await invokeFunction(functionName, notesEvent(routeKey, options));
  if (!result.ok) throw new Error(`${functionName} failed: ${result.error.errorMessage}`);
  const response = result.payload as { statusCode: number; body?: string };
  return { status: response.statusCode, body: (response.body ? JSON.parse(response.body) : undefined) as T };
}

export const createNote = (user: string, note: { headline: string; text: string }) =>
  callNotes<NoteJson>('createNote', 'POST /notes', { user, body: note });
export const searchNotes = (user: string, q: string, limit?: number) =>
  callNotes<SearchJson>('searchNotes', 'GET /notes/search', {
    user,
    query: { q, ...(limit === undefined ? {} : { limit: String(limit) }) },
  });

/** The index items of one user and term (partition `<user>#<term>`). */
export async function indexEntries(user: string, term: string): Promise<Array<Record<string, unknown>>> {
  const output = await documents().send(
    new QueryCommand({
      TableName: physicalId('NotesSearchIndex'),
      KeyConditionExpression: 'UserTerm = :key',
      ExpressionAttributeValues: { ':key': `${user}#${term}` },
      ConsistentRead: true,
    }),
  );
  return output.Items ?? [];
}

/** Every index item of one note, as "term:weight", sorted. */
export async function indexOfNote(user: string, noteId: string): Promise<string[]> {
  const items: Array<Record<string, unknown>> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const output = await documents().send(
      new ScanCommand({
        TableName: physicalId('NotesSearchIndex'),
        ConsistentRead: true,
        ExclusiveStartKey,
        FilterExpression: 'NoteId = :id AND begins_with(UserTerm, :user)',
        ExpressionAttributeValues: { ':id': noteId, ':user': `${user}#` },
      }),
    );
    items.push(...(output.Items ?? []));
    ExclusiveStartKey = output.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.map((item) => `${String(item.UserTerm).slice(user.length + 1)}:${String(item.Weight)}`).sort();
}

/** A Notes stream record as Lambda delivers it (images as plain values). */
export function notesStreamRecord(
  eventName: StreamEventName,
  key: { user: string; noteId: string },
  images: { old?: Record<string, unknown>; new?: Record<string, unknown> },
) {
  return dynamodbStreamRecord('Notes', eventName, { UserId: key.user, NoteId: key.noteId }, images);
}

/** A Notes item (plain values) of a note as the API returned it. */
export const noteImage = (user: string, note: NoteJson) => ({
  UserId: user,
  NoteId: note.noteId,
  Headline: note.headline,
  Text: note.text,
  CreatedAt: note.createdAt,
  UpdatedAt: note.updatedAt,
  Version: note.version,
});
