/* global window, document */
// Pipeline console (local cloud only): polls GET /_local/stats every second and updates the tables in place;
// the stack's buckets (GET /_local/buckets) less often, since listing them walks every object.
import { formatCount, formatLag } from './format.js';

const POLL_INTERVAL_MS = 1000;
const BUCKETS_INTERVAL_MS = 5000;
const REQUEST_TIMEOUT_MS = 5000;
const $ = (selector) => document.querySelector(selector);

const count = (field) => ({ field, numeric: true, text: (row) => formatCount(row[field]) });
/** A count that should stay zero (failures, errors, messages waiting in a dead-letter queue). */
const problemCount = (field) => ({ ...count(field), bad: (row) => row[field] > 0 });

/** Columns per table: the field a cell shows (its data-field), how it reads, and when it is a warning. */
const MAPPING_COLUMNS = [
  { field: 'functionName', text: (m) => m.functionName ?? '—' },
  { field: 'source', text: (m) => m.source ?? '—' },
  { field: 'kind', text: (m) => m.kind ?? '—' },
  { field: 'state', text: (m) => m.state ?? '—', muted: (m) => m.state !== 'Enabled' },
  count('batches'),
  count('records'),
  problemCount('failures'),
  // A minute behind the stream head means the consumer is not keeping up.
  { field: 'lagMs', numeric: true, text: (m) => formatLag(m.lagMs), bad: (m) => m.lagMs >= 60_000 },
  { field: 'dlq', text: (m) => m.dlq?.name ?? 'none', muted: (m) => !m.dlq },
  { field: 'dlqDepth', numeric: true, text: (m) => formatCount(m.dlq?.depth), bad: (m) => m.dlq?.depth > 0 },
  { field: 'lastError', text: (m) => errorText(m.lastError), error: true, muted: (m) => !m.lastError },
];
const FUNCTION_COLUMNS = [
  { field: 'name', text: (f) => f.name },
  count('invocations'),
  problemCount('errors'),
  problemCount('timeouts'),
];
const QUEUE_COLUMNS = [{ field: 'name', text: (q) => q.name }, problemCount('depth')];
/** Objects of one bucket (each row carries its bucket); the key links to the object, served sandboxed. */
const OBJECT_COLUMNS = [
  { field: 'key', text: (o) => o.key, href: (o) => objectUrl(o.bucket, o.key), newTabNote: 'buckets-new-tab' },
  { field: 'size', numeric: true, text: (o) => formatBytes(o.size) },
  { field: 'lastModified', text: (o) => formatTime(o.lastModified) },
];

/** The whole key is one encoded path segment, so the browser cannot fold "a/../b" into another key. */
const objectUrl = (bucket, key) => `/_local/s3/${encodeURIComponent(bucket)}/${encodeURIComponent(key)}`;

function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 ** 2 ? [bytes / 1024, 'KiB'] : [bytes / 1024 ** 2, 'MiB'];
  return `${value.toFixed(1)} ${unit}`;
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

function errorText(error) {
  if (!error) return '—';
  if (typeof error === 'string') return error;
  return (
    [error.errorType ?? error.name, error.errorMessage ?? error.message].filter(Boolean).join(': ') ||
    JSON.stringify(error)
  );
}

/** Brings a table body in line with `rows` (keyed by `keyOf`), touching only the cells whose text changed. */
function renderTable(table, columns, rows, keyOf, emptyText) {
  const body = table.tBodies[0];
  const wanted = new Set(rows.map(keyOf));
  for (const tr of [...body.rows]) if (!wanted.has(tr.dataset.key)) tr.remove();
  for (const row of rows) {
    const key = keyOf(row);
    let tr = [...body.rows].find((r) => r.dataset.key === key);
    if (!tr) tr = body.appendChild(newRow(columns, key));
    if (row.functionName) tr.dataset.function = row.functionName;
    columns.forEach((column, i) => updateCell(tr.cells[i], column, row));
    body.appendChild(tr); // keeps the server's order
  }
  if (rows.length === 0) {
    const td = document.createElement('td');
    td.colSpan = columns.length;
    td.className = 'empty';
    td.textContent = emptyText;
    body.replaceChildren(document.createElement('tr'));
    body.rows[0].append(td);
  }
}

function newRow(columns, key) {
  const tr = document.createElement('tr');
  tr.dataset.key = key;
  for (const column of columns) {
    const td = document.createElement(column === columns[0] ? 'th' : 'td');
    if (column === columns[0]) td.scope = 'row';
    td.dataset.field = column.field;
    tr.append(td);
  }
  return tr;
}

function updateCell(cell, column, row) {
  const text = column.text(row);
  const target = column.href ? linkIn(cell, column) : cell;
  if (column.href && target.getAttribute('href') !== column.href(row)) target.setAttribute('href', column.href(row));
  if (target.textContent !== text) target.textContent = text;
  if (column.error) cell.title = text;
  cell.className = [
    column.numeric && 'num',
    column.error && 'error-text',
    column.bad?.(row) && 'bad',
    column.muted?.(row) && 'muted',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The cell's link, made on first use; it opens in a new tab, which its description says. */
function linkIn(cell, column) {
  let link = cell.querySelector('a');
  if (!link) {
    link = document.createElement('a');
    link.target = '_blank';
    link.rel = 'noopener';
    if (column.newTabNote) link.setAttribute('aria-describedby', column.newTabNote);
    cell.replaceChildren(link);
  }
  return link;
}

function renderEndpoints(endpoints) {
  const list = $('[data-endpoints]');
  const items = Object.entries(endpoints ?? {}).flatMap(([name, url]) => {
    const value = document.createElement('dd');
    value.dataset.endpoint = name;
    if (/^https?:\/\//.test(String(url))) {
      const link = document.createElement('a');
      link.href = String(url);
      link.textContent = String(url);
      value.append(link);
    } else {
      value.textContent = String(url);
    }
    const term = document.createElement('dt');
    term.textContent = name;
    return [term, value];
  });
  const signature = JSON.stringify(endpoints ?? {});
  if (list.dataset.signature !== signature) {
    list.replaceChildren(...items);
    list.dataset.signature = signature;
  }
}

function render(stats) {
  renderTable($('[data-mappings]'), MAPPING_COLUMNS, stats.mappings ?? [], (m) => m.id, 'No event source mappings');
  renderTable($('[data-functions]'), FUNCTION_COLUMNS, stats.functions ?? [], (f) => f.name, 'No functions');
  renderTable($('[data-queues]'), QUEUE_COLUMNS, stats.queues ?? [], (q) => q.name, 'No queues');
  renderEndpoints(stats.endpoints);
  $('[data-updated]').textContent = `Updated ${new Date().toLocaleTimeString()}`;
}

function showStatus(error) {
  const status = $('[data-status]');
  status.dataset.state = error ? 'error' : 'live';
  const text = error ? `Local cloud unavailable (${error.message}); retrying…` : 'Live';
  if (status.textContent !== text) status.textContent = text;
}

/** One section per bucket of the stack: a heading with its logical id, name and object count, and its newest objects. */
function renderBuckets(buckets) {
  const container = $('[data-buckets]');
  const wanted = new Set(buckets.map((b) => b.name));
  for (const section of [...container.children]) if (!wanted.has(section.dataset.bucket)) section.remove();
  for (const bucket of buckets) {
    const section = [...container.children].find((s) => s.dataset.bucket === bucket.name) ?? newBucketSection(bucket);
    setText(section.querySelector('[data-field="name"]'), bucket.name);
    setText(section.querySelector('[data-field="count"]'), countText(bucket));
    const rows = (bucket.objects ?? []).map((o) => ({ ...o, bucket: bucket.name }));
    renderTable(section.querySelector('table'), OBJECT_COLUMNS, rows, (o) => o.key, 'Empty');
    container.append(section); // keeps the server's order
  }
}

function countText({ count, objects = [] }) {
  const total = `${formatCount(count)} ${count === 1 ? 'object' : 'objects'}`;
  return objects.length < count ? `${total}, newest ${objects.length} shown` : total;
}

function newBucketSection(bucket) {
  const titleId = `bucket-${bucket.logicalId}-title`;
  const section = document.createElement('section');
  section.className = 'bucket';
  section.dataset.bucket = bucket.name;
  section.setAttribute('aria-labelledby', titleId);
  const title = document.createElement('h3');
  title.id = titleId;
  const logicalId = Object.assign(document.createElement('span'), { textContent: bucket.logicalId });
  logicalId.dataset.field = 'logicalId';
  const name = Object.assign(document.createElement('span'), { className: 'bucket-name' });
  name.dataset.field = 'name';
  const count = Object.assign(document.createElement('span'), { className: 'bucket-count' });
  count.dataset.field = 'count';
  title.append(logicalId, ' ', name, ' ', count);
  const table = document.createElement('table');
  table.setAttribute('aria-labelledby', titleId);
  table.createTHead().append(headerRow([['Key'], ['Size', 'num'], ['Last modified']]));
  table.createTBody();
  const wrap = Object.assign(document.createElement('div'), { className: 'table-wrap' });
  wrap.append(table);
  section.append(title, wrap);
  return section;
}

function headerRow(headers) {
  const tr = document.createElement('tr');
  for (const [text, className] of headers) {
    const th = Object.assign(document.createElement('th'), { scope: 'col', textContent: text });
    if (className) th.className = className;
    tr.append(th);
  }
  return tr;
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

async function pollBuckets() {
  const status = $('[data-buckets-status]');
  try {
    const response = await fetch('/_local/buckets', {
      cache: 'no-store',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    renderBuckets(await response.json());
    status.dataset.state = 'live';
    setText(status, `Newest objects first; refreshed every ${BUCKETS_INTERVAL_MS / 1000} s.`);
  } catch (error) {
    status.dataset.state = 'error';
    setText(status, `Buckets unavailable (${error instanceof Error ? error.message : String(error)}); retrying…`);
  }
  window.setTimeout(pollBuckets, BUCKETS_INTERVAL_MS);
}

async function poll() {
  const startedAt = performance.now();
  try {
    const response = await fetch('/_local/stats', {
      cache: 'no-store',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    render(await response.json());
    showStatus(null);
  } catch (error) {
    showStatus(error instanceof Error ? error : new Error(String(error)));
  }
  window.setTimeout(poll, Math.max(0, POLL_INTERVAL_MS - (performance.now() - startedAt)));
}

void poll();
void pollBuckets();
