import { latestAlerts } from '../../adapters/sensor-tables.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { memberOf, OPERATORS } from '../shared/caller.ts';
import { httpHandler, json, route } from '../shared/http.ts';

const config = lazy(() => ({ table: requiredEnv('ALERT_STATE_TABLE') }));

/** `GET /sensors/alerts`: the latest alert of each sensor, newest first (at most 100). */
export const handler = httpHandler({
  'GET /sensors/alerts': route({
    authorize: memberOf(OPERATORS),
    handle: async () => json(200, { alerts: await latestAlerts(config().table, 100) }, { 'Cache-Control': 'no-store' }),
  }),
});
