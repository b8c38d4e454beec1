/* global window, document, WebSocket */
// Live results: totals pushed over the results WebSocket API (resultsSocketUrl), redrawn in place. Only while
// the socket cannot connect or has closed does the page poll GET {apiUrl}/results every 500 ms, and it keeps
// trying to reconnect (backoff 1 s doubling to 30 s); once connected, polling stops.
import { candidateColours, doughnutSegments, percentages, ringSegmentPath } from './chart.js';
import { errorMessage, formatCount } from './format.js';
import { setupSignIn } from './sign-in.js';
import { GET_TOTALS, isResults, parseFrame, reconnectDelayMs } from './live.js';

const POLL_INTERVAL_MS = 500;
const REQUEST_TIMEOUT_MS = 5000;
const RING = { cx: 100, cy: 100, outer: 92, inner: 60 };
const SVG_NS = 'http://www.w3.org/2000/svg';

const apiUrl = String(window.REFARCH_CONFIG?.apiUrl ?? '').replace(/\/+$/, '');
const socketUrl = String(window.REFARCH_CONFIG?.resultsSocketUrl ?? '');
const $ = (selector) => document.querySelector(selector);

/** What the page currently shows, so a poll only touches the DOM when candidates change. */
const view = { candidateKey: '', counts: new Map(), shares: new Map(), paths: new Map() };

async function fetchResults() {
  const response = await fetch(`${apiUrl}/results`, {
    cache: 'no-store',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(errorMessage(body, response.status));
  return checkResults(body);
}

function checkResults(body) {
  if (!isResults(body)) throw new Error('unexpected response from /results');
  return body;
}

function render({ candidates, total }) {
  const key = JSON.stringify(candidates.map((c) => c.candidate));
  if (key !== view.candidateKey)
    buildCandidates(
      candidates.map((c) => c.candidate),
      key,
    );
  const shares = percentages(candidates.map((c) => c.votes));
  candidates.forEach(({ candidate, votes }, i) => {
    setText(view.counts.get(candidate), formatCount(votes));
    setText(view.shares.get(candidate), `${shares[i]}%`);
  });
  setText($('[data-total]'), formatCount(total));
  setText($('[data-chart-total]'), formatCount(total));
  drawSegments(candidates);
  setText(
    $('[data-chart-summary]'),
    total === 0 ? 'No votes yet' : candidates.map((c, i) => `${c.candidate}: ${c.votes} (${shares[i]}%)`).join(', '),
  );
}

/** (Re)creates the legend rows and vote buttons, once per set of candidates. */
function buildCandidates(names, key) {
  const colours = candidateColours(names);
  const legend = $('[data-legend]');
  const buttons = $('[data-vote-buttons]');
  const segments = $('[data-segments]');
  legend.replaceChildren();
  buttons.replaceChildren();
  segments.replaceChildren();
  view.counts.clear();
  view.shares.clear();
  view.paths.clear();
  for (const name of names) {
    const colour = colours.get(name);
    const swatch = element('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = colour;
    const count = element('span', { class: 'count', 'data-candidate': name }, '0');
    const share = element('span', { class: 'share' }, '0%');
    legend.append(
      element('li', { 'data-candidate-row': name }, swatch, element('span', { class: 'name' }, name), count, share),
    );
    const button = element('button', { type: 'submit', name: 'candidate', value: name, 'data-vote': name }, name);
    button.disabled = !signIn.session();
    button.style.background = colour;
    buttons.append(button);
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('data-segment', name);
    path.setAttribute('fill', colour);
    segments.append(path);
    view.counts.set(name, count);
    view.shares.set(name, share);
    view.paths.set(name, path);
  }
  view.candidateKey = key;
}

function drawSegments(candidates) {
  const drawn = new Map(doughnutSegments(candidates).map((s) => [s.candidate, ringSegmentPath(RING, s.start, s.end)]));
  for (const [name, path] of view.paths) path.setAttribute('d', drawn.get(name) ?? '');
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

/** Shows the connection state; the text changes only when the state does, so screen readers are not flooded. */
function showStatus(error) {
  const status = $('[data-status]');
  status.dataset.state = error ? 'error' : 'live';
  status.dataset.transport = live.socket?.readyState === WebSocket.OPEN ? 'push' : 'poll';
  setText(status, error ? `Results unavailable (${error.message}); retrying…` : 'Live');
  $('[data-results]').classList.toggle('stale', Boolean(error));
}

let pollTimer = 0;

/** One pending poll at most: a poll that ends, or the tab becoming visible, replaces the pending one. */
function schedulePoll(delayMs) {
  window.clearTimeout(pollTimer);
  if (!live.polling) return;
  pollTimer = window.setTimeout(poll, delayMs);
}

async function poll() {
  if (document.hidden || !live.polling) return; // a background tab costs no requests; visibilitychange resumes polling
  const startedAt = performance.now();
  try {
    render(await fetchResults());
    showStatus(null);
  } catch (error) {
    showStatus(error instanceof Error ? error : new Error(String(error)));
  }
  schedulePoll(Math.max(0, POLL_INTERVAL_MS - (performance.now() - startedAt)));
}

/** The pushed-totals connection: polling runs only while it is not open. */
const live = { socket: null, attempts: 0, polling: false, reconnectTimer: 0 };

function setPolling(on) {
  if (live.polling === on) return;
  live.polling = on;
  if (on) schedulePoll(0);
  else window.clearTimeout(pollTimer);
}

/** Connects, asks for the current totals, then renders every pushed frame; on a close, polls and reconnects later. */
function connectLive() {
  if (!socketUrl || typeof WebSocket !== 'function') return setPolling(true);
  let socket;
  try {
    socket = new WebSocket(socketUrl);
  } catch {
    return scheduleReconnect();
  }
  live.socket = socket;
  socket.addEventListener('open', () => {
    live.attempts = 0;
    setPolling(false);
    socket.send(GET_TOTALS);
  });
  socket.addEventListener('message', (event) => {
    const frame = parseFrame(String(event.data));
    if (frame?.type === 'totals') {
      render(frame.results);
      showStatus(null);
    }
  });
  socket.addEventListener('close', () => {
    if (live.socket === socket) live.socket = null;
    scheduleReconnect();
  });
}

function scheduleReconnect() {
  setPolling(true);
  window.clearTimeout(live.reconnectTimer);
  live.reconnectTimer = window.setTimeout(connectLive, reconnectDelayMs(live.attempts));
  live.attempts += 1;
}

/** The voter is the signed-in user (the token's sub): the page sends only the candidate. */
async function sendVote(candidate) {
  const response = await fetch(`${apiUrl}/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signIn.headers() },
    body: JSON.stringify({ candidate }),
  });
  const body = await response.json().catch(() => null);
  if (response.status === 401) signIn.expired();
  if (!response.ok)
    throw new Error(response.status === 401 ? signIn.refusal(401) : errorMessage(body, response.status));
  return body;
}

function setupVoteForm() {
  const form = $('[data-vote-form]');
  const message = $('[data-vote-message]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const candidate = event.submitter?.value;
    if (!candidate || !signIn.session()) return;
    const say = (text, kind) => {
      message.textContent = text;
      message.dataset.kind = kind;
    };
    say('Sending…', 'pending');
    setVoting(false);
    try {
      const result = await sendVote(candidate);
      say(
        result?.changed === false
          ? `Your vote for ${candidate} was already counted.`
          : `Vote for ${candidate} recorded.`,
        'ok',
      );
    } catch (error) {
      say(`Vote not recorded: ${error instanceof Error ? error.message : String(error)}`, 'error');
    } finally {
      setVoting(Boolean(signIn.session()));
    }
  });
}

/** Voting needs a signed-in user: the buttons work only then, and the hint says so. */
function setVoting(enabled) {
  document.querySelectorAll('[data-vote-form] button').forEach((b) => {
    b.disabled = !enabled;
  });
  $('[data-vote-hint]').hidden = enabled;
}

/** The pipeline console only exists on the local cloud; link it when it is there. */
async function revealConsoleLink() {
  const response = await fetch('console.html', { method: 'HEAD' }).catch(() => null);
  if (response?.ok) $('[data-console-link]').hidden = false;
}

const signIn = setupSignIn({
  element: $('[data-sign-in]'),
  page: 'results.html',
  onChange: (session) => setVoting(Boolean(session)),
});

$('[data-track]').setAttribute('d', ringSegmentPath(RING, 0, 1));
setupVoteForm();
void revealConsoleLink();
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) schedulePoll(0);
});
connectLive();
