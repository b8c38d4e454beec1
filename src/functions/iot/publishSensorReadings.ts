import { putRecords } from '../../adapters/kinesis.ts';
import { parseReading, readingJson } from '../../domain/iot/reading.ts';
import * as z from 'zod';
import { envConfig, string } from '../shared/config.ts';
import { memberOf, OPERATORS } from '../shared/caller.ts';
import { HttpError, httpHandler, json, route } from '../shared/http.ts';

const config = envConfig({ stream: string('SENSOR_STREAM') });
const MAX_READINGS = 100;
const body = z.object({ readings: z.array(z.unknown()).min(1).max(MAX_READINGS) });

/**
 * `POST /sensors/readings` `{"readings":[...]}`: puts readings on SensorEventStream for clients that
 * speak HTTP (the IoT console, simple devices). All are validated first: one bad reading refuses the
 * request with its index and reason, so nothing is half-sent.
 */
export const handler = httpHandler(
  {
    'POST /sensors/readings': route({
      authorize: memberOf(OPERATORS),
      accepts: ['json'],
      body,
      handle: async ({ body: { readings } }) => {
        const now = Date.now();
        const parsed = readings.map((reading) => parseReading(reading, now));
        const problems = parsed.flatMap((result, index) => (result.ok ? [] : [{ index, reason: result.reason }]));
        if (problems.length > 0)
          throw new HttpError(
            400,
            'invalid_reading',
            `reading ${problems[0]!.index}: ${problems[0]!.reason}`,
            problems,
          );
        const valid = parsed.flatMap((result) => (result.ok ? [result.value] : []));
        await putRecords(
          config().stream,
          valid.map((reading) => ({
            PartitionKey: reading.sensorId,
            Data: Buffer.from(JSON.stringify(readingJson(reading))),
          })),
        );
        return json(202, { accepted: valid.length });
      },
    }),
  },
  { maxBodyBytes: 64 * 1024 },
);
