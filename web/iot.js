/* global window, document, history, location, URLSearchParams, FormData */
// IoT console: publishes sample readings (POST /sensors/readings), charts one sensor's readings
// (GET /sensors/{id}/readings, a bounded number of pages) and lists recent alerts (GET /sensors/alerts),
// refreshing every few seconds. A failed request is shown and retried; the last data stays on screen.
// Every call needs a signed-in member of the operators group (sign-in.js); until then the page says so.
import { layoutLineChart } from './line-chart.js';
import { errorMessage } from './format.js';
import { setupSignIn } from './sign-in.js';
import {
  RANGES,
  mergeReadings,
  numberField,
  parseDeviceIds,
  randomWalkStep,
  rangeWindow,
  readingsBody,
  readingsSummary,
  readingsUrl,
} from './iot-model.js';

const READINGS_INTERVAL_MS = 3000;
const ALERTS_INTERVAL_MS = 5000;
const AUTO_PUBLISH_INTERVAL_MS = 2000;
const REQUEST_TIMEOUT_MS = 5000;
const PAGE_LIMIT = 500;
const MAX_PAGES = 4; // at most 2,000 readings on the chart: enough for a day at one reading every 45 s
const TABLE_ROWS = 10;
const CHART = { width: 640, height: 280, margin: { top: 16, right: 56, bottom: 34, left: 48 } };
const MAX_DOTS = 150; // beyond this, dots hide the line; only the newest reading keeps its dot
const SVG_NS = 'http://www.w3.org/2000/svg';

const apiUrl = String(window.REFARCH_CONFIG?.apiUrl ?? '').replace(/\/+$/, '');
const $ = (selector) => document.querySelector(selector);
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const axisFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

const OPERATORS = 'operators';
const signIn = setupSignIn({
  element: $('[data-sign-in]'),
  group: OPERATORS,
  page: 'iot.html',
  onChange: signInChanged,
});

/** A refusal of the API for who is calling (401, 403): the page says what to do instead of retrying blindly. */
class AccessError extends Error {}

async function callApi(path, init = {}) {
  if (!signIn.session()) throw new AccessError(signIn.refusal(401));
  const response = await fetch(`${apiUrl}${path}`, {
    cache: 'no-store',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...init,
    headers: { ...init.headers, ...signIn.headers() },
  });
  const body = await response.json().catch(() => null);
  if (response.status === 401) signIn.expired();
  if (response.status === 401 || response.status === 403) throw new AccessError(signIn.refusal(response.status));
  if (!response.ok) throw new Error(errorMessage(body, response.status));
  return body;
}

/** Signed in or out: ask again at once, so the page shows the new user's data (or why it cannot). */
function signInChanged() {
  scheduleReadings(0);
  scheduleAlerts(0);
}

// ---- status: one line in the header for the API as a whole, changed only when its state changes

const failures = new Map(); // what failed last, per poll ('readings', 'alerts')

function reportPoll(name, error) {
  if (error) failures.set(name, error);
  else failures.delete(name);
  const status = $('[data-status]');
  const [firstError] = failures.values();
  status.dataset.state = firstError ? 'error' : 'live';
  if (!firstError) setText(status, 'Live');
  else
    setText(
      status,
      firstError instanceof AccessError
        ? 'Not signed in as an operator'
        : `API unavailable (${firstError.message}); retrying…`,
    );
}

// ---- publishing

function currentValues() {
  return { humidity: numberField($('#humidity').value), temperature: numberField($('#temperature').value) };
}

function say(text, kind) {
  const message = $('[data-publish-message]');
  message.textContent = text;
  message.dataset.kind = kind;
}

/** Checks what only the page can (ids present, numbers are numbers); the API judges the rest. */
function publishRequest() {
  const deviceIds = parseDeviceIds($('#device-ids').value);
  if (deviceIds.length === 0) return { problem: 'Enter at least one device id.' };
  const values = currentValues();
  for (const [field, label] of [
    ['humidity', 'Humidity'],
    ['temperature', 'Temperature'],
  ]) {
    if (Number.isNaN(values[field])) return { problem: `${label} must be a number.` };
  }
  return { deviceIds, body: readingsBody(deviceIds, values, new Date().toISOString()) };
}

let publishing = false;

async function publish() {
  if (publishing) return;
  const request = publishRequest();
  if (request.problem) {
    say(`Not published: ${request.problem}`, 'error');
    return;
  }
  publishing = true;
  $('[data-publish]').disabled = true;
  say('Publishing…', 'pending');
  try {
    const result = await callApi('/sensors/readings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
    const accepted = Number(result?.accepted);
    say(
      `Published at ${timeFormat.format(new Date())}: ${accepted} reading${accepted === 1 ? '' : 's'} accepted.`,
      'ok',
    );
    if (!$('#sensor-id').value.trim()) showSensor(request.deviceIds[0]);
  } catch (error) {
    say(`Not published: ${error.message}`, 'error');
  } finally {
    publishing = false;
    $('[data-publish]').disabled = false;
  }
}

function takeRandomStep() {
  const next = randomWalkStep(currentValues(), Math.random);
  $('#humidity').value = String(next.humidity);
  $('#temperature').value = String(next.temperature);
}

let autoTimer = 0;

function toggleAutoPublish() {
  const button = $('[data-auto-publish]');
  const on = button.getAttribute('aria-pressed') !== 'true';
  button.setAttribute('aria-pressed', String(on));
  window.clearInterval(autoTimer);
  if (on) {
    const step = () => {
      takeRandomStep();
      void publish();
    };
    step();
    autoTimer = window.setInterval(step, AUTO_PUBLISH_INTERVAL_MS);
  }
}

function setupPublishForm() {
  $('[data-publish-form]').addEventListener('submit', (event) => {
    event.preventDefault();
    void publish();
  });
  $('[data-random-walk]').addEventListener('click', takeRandomStep);
  $('[data-auto-publish]').addEventListener('click', toggleAutoPublish);
}

// ---- the chosen sensor and range, kept in the URL (?sensor=&range=) so a view can be shared or reloaded

const selection = { sensor: '', range: 'hour', generation: 0 };

function readSelectionFromUrl() {
  const params = new URLSearchParams(location.search);
  selection.sensor = (params.get('sensor') ?? '').trim();
  selection.range = RANGES.has(params.get('range')) ? params.get('range') : 'hour';
  $('#sensor-id').value = selection.sensor;
  const radio = document.querySelector(`input[name="range"][value="${selection.range}"]`);
  if (radio) radio.checked = true;
}

function writeSelectionToUrl() {
  const params = new URLSearchParams(location.search);
  if (selection.sensor) params.set('sensor', selection.sensor);
  else params.delete('sensor');
  if (selection.range === 'hour') params.delete('range');
  else params.set('range', selection.range);
  const query = params.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

/** Switches the view to a sensor (and range): clears what belonged to the previous one and fetches at once. */
function showSensor(sensor, range = selection.range) {
  selection.sensor = sensor.trim();
  selection.range = RANGES.has(range) ? range : 'hour';
  selection.generation += 1; // answers to requests for the previous selection are dropped
  $('#sensor-id').value = selection.sensor;
  writeSelectionToUrl();
  renderReadings([], null);
  scheduleReadings(0);
}

function setupSensorForm() {
  const form = $('[data-sensor-form]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showSensor($('#sensor-id').value, new FormData(form).get('range'));
  });
  // A range choice applies at once: no need to find the Show button after picking it.
  form.querySelectorAll('input[name="range"]').forEach((radio) =>
    radio.addEventListener('change', () => {
      if (radio.checked) showSensor($('#sensor-id').value, radio.value);
    }),
  );
}

// ---- readings: chart and table

/** Follows nextCursor up to MAX_PAGES pages; `truncated` says there was more. */
async function fetchReadings(sensor, span) {
  const pages = [];
  let cursor;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await callApi(readingsUrl('', sensor, { ...span, limit: PAGE_LIMIT, cursor }));
    if (!body || !Array.isArray(body.readings))
      throw new Error('unexpected response from /sensors/{sensorId}/readings');
    pages.push(body.readings);
    cursor = typeof body.nextCursor === 'string' && body.nextCursor ? body.nextCursor : undefined;
    if (!cursor) return { readings: mergeReadings(pages), truncated: false };
  }
  return { readings: mergeReadings(pages), truncated: true };
}

function renderReadings(readings, context) {
  const note = $('[data-readings-note]');
  const rangeLabel = RANGES.get(selection.range).label;
  if (!selection.sensor) {
    setText(note, 'Choose a sensor to see its readings.');
  } else if (context) {
    const more = context.truncated ? ` (the newest ${readings.length}; there are more)` : '';
    setText(
      note,
      `${readings.length} reading${readings.length === 1 ? '' : 's'} of ${selection.sensor}, ${rangeLabel.toLowerCase()}${more}.`,
    );
  } else {
    setText(note, `Loading readings of ${selection.sensor}…`);
  }
  note.dataset.state = '';
  drawChart(readings, context?.span ?? rangeWindow(selection.range, Date.now()));
  setText(
    $('[data-chart-summary]'),
    selection.sensor ? readingsSummary(selection.sensor, readings, rangeLabel) : 'No sensor chosen',
  );
  fillReadingsTable(readings.slice(0, TABLE_ROWS));
}

function drawChart(readings, span) {
  const layout = layoutLineChart({
    ...CHART,
    xDomain: [span.fromMs, span.toMs],
    data: readings,
    series: [
      { key: 'humidity', domain: [0, 100] },
      { key: 'temperature', minSpan: 4 },
    ],
  });
  const [humidity, temperature] = layout.series;
  const { plot } = layout;
  const grid = humidity.yTicks.map((t) =>
    svg('line', { x1: plot.left, x2: plot.right, y1: t.position, y2: t.position }),
  );
  const axes = [
    svg('line', { class: 'baseline', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom }),
    ...layout.xTicks.map((t) =>
      svg('text', { x: t.position, y: plot.bottom + 20, 'text-anchor': 'middle' }, axisFormat.format(t.value)),
    ),
    ...humidity.yTicks.map((t) =>
      svg('text', { class: 'humidity', x: plot.left - 8, y: t.position + 4, 'text-anchor': 'end' }, String(t.value)),
    ),
    ...temperature.yTicks.map((t) =>
      svg(
        'text',
        { class: 'temperature', x: plot.right + 8, y: t.position + 4, 'text-anchor': 'start' },
        String(t.value),
      ),
    ),
  ];
  $('[data-grid]').replaceChildren(...grid);
  $('[data-axes]').replaceChildren(...axes);
  const dots = [];
  for (const series of layout.series) {
    $(`[data-series="${series.key}"]`).setAttribute('d', series.path);
    const shown = series.points.length <= MAX_DOTS ? series.points : series.points.slice(-1);
    dots.push(
      ...shown.map((p) =>
        svg('circle', { class: series.key, cx: p.cx, cy: p.cy, r: 3, 'data-point': series.key, 'data-x': p.x }),
      ),
    );
  }
  $('[data-points]').replaceChildren(...dots);
}

const formatValue = (value) => (Number.isFinite(value) ? String(value) : '—');

function fillReadingsTable(readings) {
  const body = $('[data-readings-table] tbody');
  if (readings.length === 0) {
    body.replaceChildren(element('tr', {}, element('td', { colspan: '4', class: 'empty' }, 'No readings')));
    return;
  }
  body.replaceChildren(
    ...readings.map((r) =>
      element(
        'tr',
        { 'data-timestamp': r.timestamp },
        element('td', {}, element('time', { datetime: r.timestamp }, timeFormat.format(new Date(r.x)))),
        element('td', { class: 'num', 'data-field': 'humidity' }, formatValue(r.humidity)),
        element('td', { class: 'num', 'data-field': 'temperature' }, formatValue(r.temperature)),
        element('td', { class: 'num', 'data-field': 'seq' }, formatValue(r.seq)),
      ),
    ),
  );
}

let readingsTimer = 0;

function scheduleReadings(delayMs) {
  window.clearTimeout(readingsTimer);
  readingsTimer = window.setTimeout(pollReadings, delayMs);
}

async function pollReadings() {
  if (document.hidden) return; // visibilitychange resumes polling
  const { sensor, generation } = selection;
  if (sensor) {
    const span = rangeWindow(selection.range, Date.now());
    try {
      const { readings, truncated } = await fetchReadings(sensor, span);
      if (generation === selection.generation) {
        renderReadings(readings, { span, truncated });
        $('[data-readings]').classList.remove('stale');
      }
      reportPoll('readings', null);
    } catch (error) {
      if (generation === selection.generation) showReadingsError(error);
      reportPoll('readings', error);
    }
  }
  if (generation === selection.generation) scheduleReadings(READINGS_INTERVAL_MS);
}

function showReadingsError(error) {
  const note = $('[data-readings-note]');
  note.dataset.state = 'error';
  setText(
    note,
    error instanceof AccessError
      ? error.message
      : `Readings of ${selection.sensor} unavailable: ${error.message}. Retrying; the chart shows the last data received.`,
  );
  $('[data-readings]').classList.add('stale');
}

// ---- alerts

function fillAlertsTable(alerts) {
  const body = $('[data-alerts-table] tbody');
  body.replaceChildren(
    ...alerts.map((a) => {
      const show = element(
        'button',
        {
          type: 'button',
          class: 'link-button',
          'data-show-sensor': a.sensorId,
          'aria-label': `Show readings of ${a.sensorId}`,
        },
        a.sensorId,
      );
      show.addEventListener('click', () => showSensor(a.sensorId));
      return element(
        'tr',
        { 'data-alert': a.sensorId },
        element('td', {}, show),
        element('td', {}, timeCell(a.timestamp)),
        element('td', { class: 'num' }, formatValue(a.humidity)),
        element('td', { class: 'num' }, formatValue(a.threshold)),
        element('td', {}, timeCell(a.raisedAt)),
      );
    }),
  );
}

function timeCell(value) {
  const date = new Date(typeof value === 'number' ? value : String(value));
  return Number.isNaN(date.getTime())
    ? '—'
    : element('time', { datetime: date.toISOString() }, dateTimeFormat.format(date));
}

// One page of GET /sensors/alerts (newest first): the most recent alerts are the ones to act on.
const ALERTS_SHOWN = 20;

async function pollAlerts() {
  if (document.hidden) return;
  const note = $('[data-alerts-note]');
  try {
    const body = await callApi(`/sensors/alerts?limit=${ALERTS_SHOWN}`);
    if (!body || !Array.isArray(body.alerts)) throw new Error('unexpected response from /sensors/alerts');
    fillAlertsTable(body.alerts);
    note.dataset.state = '';
    setText(
      note,
      body.alerts.length === 0
        ? 'No alerts.'
        : `Latest alert of each sensor, newest first (${body.nextCursor ? `the ${body.alerts.length} newest` : body.alerts.length}).`,
    );
    $('[data-alerts]').classList.remove('stale');
    reportPoll('alerts', null);
  } catch (error) {
    note.dataset.state = 'error';
    setText(note, error instanceof AccessError ? error.message : `Alerts unavailable: ${error.message}. Retrying.`);
    $('[data-alerts]').classList.add('stale');
    reportPoll('alerts', error);
  }
  scheduleAlerts(ALERTS_INTERVAL_MS);
}

let alertsTimer = 0;

function scheduleAlerts(delayMs) {
  window.clearTimeout(alertsTimer);
  alertsTimer = window.setTimeout(pollAlerts, delayMs);
}

// ---- DOM helpers

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

/** The pipeline console only exists on the local cloud; link it when it is there. */
async function revealConsoleLink() {
  const response = await fetch('console.html', { method: 'HEAD' }).catch(() => null);
  if (response?.ok) $('[data-console-link]').hidden = false;
}

setupPublishForm();
setupSensorForm();
readSelectionFromUrl();
renderReadings([], null);
void revealConsoleLink();
document.addEventListener('visibilitychange', () => {
  if (document.hidden) return;
  scheduleReadings(0);
  scheduleAlerts(0);
});
// The first polls start once sign-in is settled (signInChanged).
