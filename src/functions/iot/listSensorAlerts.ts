import { alertsPage } from '../../adapters/sensor-tables.ts';
import { alertRow, encodeAlertsCursor, parseAlertsQuery } from '../../domain/iot/alert-list.ts';
import { envConfig, string } from '../shared/config.ts';
import { memberOf, OPERATORS } from '../shared/caller.ts';
import { HttpError, httpHandler, json, route } from '../shared/http.ts';

const config = envConfig({ table: string('ALERT_STATE_TABLE'), index: string('ALERT_STATE_INDEX') });

/**
 * `GET /sensors/alerts?limit=&cursor=`: the latest alert of each sensor, newest first, `limit` (1-100,
 * default 20) per call from one Query of the alerts index; `nextCursor` while there may be more.
 */
export const handler = httpHandler({
  'GET /sensors/alerts': route({
    authorize: memberOf(OPERATORS),
    handle: async ({ event }) => {
      const query = parseAlertsQuery(event.queryStringParameters ?? {});
      if (!query.ok) throw new HttpError(400, 'invalid_query', query.reason, { field: query.field });
      const { items, lastKey } = await alertsPage(config().table, config().index, query.value);
      return json(
        200,
        {
          alerts: items.map(alertRow),
          ...(lastKey ? { nextCursor: encodeAlertsCursor(lastKey) } : {}),
        },
        { 'Cache-Control': 'no-store' },
      );
    },
  }),
});
