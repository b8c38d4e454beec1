import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { localCloud } from '../support/cloud.ts';
import { castVote, getResults, uniqueVoter, votesOf } from '../support/votes.ts';

const POLL = { timeout: 20_000, interval: 100 };

/** The counts the page shows, by candidate, and its total. */
async function shown(page: Page): Promise<{ counts: Record<string, number>; total: number }> {
  const counts = await page
    .locator('[data-candidate]')
    .evaluateAll((nodes) =>
      Object.fromEntries(nodes.map((n) => [n.getAttribute('data-candidate') ?? '', Number(n.textContent)])),
    );
  return { counts, total: Number(await page.locator('[data-total]').textContent()) };
}

/** A results page that records its GET /results requests and its WebSocket connections; `socketUrl` replaces the configured one. */
async function openResults(browser: Browser, socketUrl?: string) {
  const page = await browser.newPage();
  const polls: string[] = [];
  const sockets: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/results') polls.push(request.url());
  });
  page.on('websocket', (socket) => sockets.push(socket.url()));
  if (socketUrl !== undefined) {
    const config = await (await fetch(`${localCloud().endpoints.console}/config.js`)).text();
    const changed = config.replace(/"resultsSocketUrl":"[^"]*"/, `"resultsSocketUrl":${JSON.stringify(socketUrl)}`);
    expect(changed).not.toBe(config);
    await page.route('**/config.js', (route) => route.fulfill({ contentType: 'text/javascript', body: changed }));
  }
  await page.goto(`${localCloud().endpoints.console}/results.html`);
  return { page, polls, sockets };
}

describe('results page, live', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the totals pushed over the WebSocket API, and a new vote without polling GET /results', async () => {
    const { page, polls, sockets } = await openResults(browser);
    const before = await getResults();
    await expect.poll(() => shown(page), POLL).toEqual({ counts: votesOf(before), total: before.total });
    expect(sockets).toEqual([localCloud().endpoints.websocket]);
    expect(await page.locator('[data-status]').getAttribute('data-transport')).toBe('push');
    const candidate = before.candidates[0]!.candidate;
    expect((await castVote(uniqueVoter('live-page'), candidate)).status).toBe(200);
    await expect.poll(async () => (await shown(page)).total, POLL).toBe(before.total + 1);
    expect((await shown(page)).counts[candidate]).toBe(votesOf(before)[candidate]! + 1);
    expect(polls).toEqual([]);
    await page.close();
  });

  it('falls back to polling GET /results when the WebSocket endpoint is down, and still follows votes', async () => {
    const { page, polls } = await openResults(browser, 'ws://127.0.0.1:9/test');
    const before = await getResults();
    await expect.poll(async () => (await shown(page)).total, POLL).toBeGreaterThanOrEqual(before.total);
    expect(polls.length).toBeGreaterThan(0);
    expect(await page.locator('[data-status]').getAttribute('data-transport')).toBe('poll');
    const candidate = before.candidates[1]!.candidate;
    expect((await castVote(uniqueVoter('poll-page'), candidate)).status).toBe(200);
    await expect.poll(async () => (await shown(page)).total, POLL).toBeGreaterThanOrEqual(before.total + 1);
    await page.close();
  });
});
