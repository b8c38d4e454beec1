import { queryReadings } from '../../adapters/sensor-tables.ts';
import { encodeCursor, parseReadingsQuery } from '../../domain/iot/query.ts';
import { readingFromItem, readingJson } from '../../domain/iot/reading.ts';
import { envConfig, string } from '../shared/config.ts';
import { memberOf, OPERATORS } from '../shared/caller.ts';
import { HttpError, httpHandler, json, route } from '../shared/http.ts';

const config = envConfig({ table: string('SENSOR_TABLE') });

/** `GET /sensors/{sensorId}/readings?from=&to=&limit=&cursor=`: newest first, one page per call. */
export const handler = httpHandler({
  'GET /sensors/{sensorId}/readings': route({
    authorize: memberOf(OPERATORS),
    handle: async ({ event }) => {
      const query = parseReadingsQuery(
        { sensorId: event.pathParameters?.sensorId ?? '', ...event.queryStringParameters },
        Date.now(),
      );
      if (!query.ok) throw new HttpError(400, 'invalid_query', query.reason, { field: query.field });
      const { items, lastKey } = await queryReadings(config().table, query.value);
      return json(
        200,
        {
          readings: items.map((item) => readingJson(readingFromItem(item))),
          ...(lastKey
            ? { nextCursor: encodeCursor(lastKey, { fromMs: query.value.fromMs, toMs: query.value.toMs }) }
            : {}),
        },
        { 'Cache-Control': 'no-store' },
      );
    },
  }),
});
