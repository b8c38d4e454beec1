/* global window, document */
// Pipeline console (local cloud only): polls GET /_local/stats every second and updates the tables in place.
import { formatCount, formatLag } from './format.js';

const POLL_INTERVAL_MS = 1000;
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
const FUNCTION_COLUMNS = [{ field: 'name', text: (f) => f.name }, count('invocations'), problemCount('errors'), problemCount('timeouts')];
const QUEUE_COLUMNS = [{ field: 'name', text: (q) => q.name }, problemCount('depth')];

function errorText(error) {
  if (!error) return '—';
  if (typeof error === 'string') return error;
  return [error.errorType ?? error.name, error.errorMessage ?? error.message].filter(Boolean).join(': ') || JSON.stringify(error);
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
  if (cell.textContent !== text) cell.textContent = text;
  if (column.error) cell.title = text;
  cell.className = [
    column.numeric && 'num', column.error && 'error-text',
    column.bad?.(row) && 'bad', column.muted?.(row) && 'muted',
  ].filter(Boolean).join(' ');
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

async function poll() {
  const startedAt = performance.now();
  try {
    const response = await fetch('/_local/stats', { cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    render(await response.json());
    showStatus(null);
  } catch (error) {
    showStatus(error instanceof Error ? error : new Error(String(error)));
  }
  window.setTimeout(poll, Math.max(0, POLL_INTERVAL_MS - (performance.now() - startedAt)));
}

void poll();
