/* global URLSearchParams */
// Pure helpers of the IoT console: device lists, plausible sample values, time ranges, query URLs and
// merging pages of readings. No DOM, no clock, no randomness of its own (all passed in), so
// test/unit/web imports this module directly. The API stays the judge of what a valid reading is.

/** The time ranges the page offers, by the key kept in the URL. */
// '5m' is for watching a simulator run live: over an hour, seconds of data are a vertical line.
export const RANGES = new Map([
  ['5m', { label: 'Last 5 minutes', ms: 300_000 }],
  ['hour', { label: 'Last hour', ms: 3_600_000 }],
  ['day', { label: 'Last day', ms: 86_400_000 }],
]);

/** Device ids typed as a list separated by commas, spaces or new lines, duplicates dropped, order kept. */
export function parseDeviceIds(text) {
  return [
    ...new Set(
      String(text)
        .split(/[\s,;]+/)
        .filter(Boolean),
    ),
  ];
}

const clamp = (value, lo, hi) => Math.min(hi, Math.max(lo, value));
const oneDecimal = (value) => Math.round(value * 10) / 10;

/** Where values start when a field is empty: a comfortable room. */
export const TYPICAL = { humidity: 50, temperature: 21 };

/**
 * One step of a random walk from `current` (a field may be missing), as a sensor drifts: humidity by up to
 * ±4 points within 0–100 and pulled gently back towards 50 (so it dips below an alert threshold now and
 * then, not forever), temperature by up to ±0.5 °C within -20..45. `random` returns numbers in [0, 1).
 */
export function randomWalkStep(current, random) {
  const humidity = Number.isFinite(current.humidity) ? current.humidity : TYPICAL.humidity;
  const temperature = Number.isFinite(current.temperature) ? current.temperature : TYPICAL.temperature;
  const pull = (TYPICAL.humidity - humidity) * 0.05;
  return {
    humidity: oneDecimal(clamp(humidity + pull + (random() * 2 - 1) * 4, 0, 100)),
    temperature: oneDecimal(clamp(temperature + (random() * 2 - 1) * 0.5, -20, 45)),
  };
}

/**
 * The body of `POST /sensors/readings`: one reading per device at `timestamp` (ISO); a value left out
 * (not a finite number) is not sent, so a humidity-only sensor can be simulated.
 */
export function readingsBody(deviceIds, values, timestamp) {
  const fields = {};
  if (Number.isFinite(values.humidity)) fields.humidity = values.humidity;
  if (Number.isFinite(values.temperature)) fields.temperature = values.temperature;
  return { readings: deviceIds.map((sensorId) => ({ sensorId, timestamp, ...fields })) };
}

/** A number typed in a field, or undefined when the field is empty (NaN for text that is not a number). */
export function numberField(text) {
  const trimmed = String(text).trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The `from`/`to` of a named range ending at `nowMs`; an unknown key falls back to the last hour. */
export function rangeWindow(key, nowMs) {
  const { ms } = RANGES.get(key) ?? RANGES.get('hour');
  return { fromMs: nowMs - ms, toMs: nowMs };
}

/** `GET {apiUrl}/sensors/{sensorId}/readings?...` with every part encoded. */
export function readingsUrl(apiUrl, sensorId, { fromMs, toMs, limit, cursor }) {
  const query = new URLSearchParams({
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    limit: String(limit),
  });
  if (cursor) query.set('cursor', cursor);
  return `${apiUrl}/sensors/${encodeURIComponent(sensorId)}/readings?${query}`;
}

/**
 * Readings of several pages as one list, newest first, one per timestamp (a reading seen on two pages, or
 * stored twice by a retry, counts once), each with `x`, its time in ms, for the chart.
 */
export function mergeReadings(pages) {
  const byTime = new Map();
  for (const reading of pages.flat()) {
    const x = Date.parse(reading?.timestamp);
    if (Number.isFinite(x) && !byTime.has(x)) byTime.set(x, { ...reading, x });
  }
  return [...byTime.values()].sort((a, b) => b.x - a.x);
}

/** A short description of the newest reading for the chart's text alternative. */
export function readingsSummary(sensorId, readings, rangeLabel) {
  if (readings.length === 0) return `No readings of ${sensorId} in the ${rangeLabel.toLowerCase()}`;
  const [latest] = readings;
  const parts = [];
  if (Number.isFinite(latest.humidity)) parts.push(`humidity ${latest.humidity} %`);
  if (Number.isFinite(latest.temperature)) parts.push(`temperature ${latest.temperature} °C`);
  const count = `${readings.length} reading${readings.length === 1 ? '' : 's'}`;
  return `${sensorId}: ${count} in the ${rangeLabel.toLowerCase()}; latest ${parts.join(', ')}`;
}
