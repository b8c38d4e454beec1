import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInLocally } from '../support/browser.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { userIdFor } from '../support/auth.ts';
import { awsConfig, localCloud, physicalId } from '../support/cloud.ts';
import { castVote, getResults, uniqueVoter, votesOf } from '../support/votes.ts';

const POLL = { timeout: 20_000, interval: 100 };
const votes = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));

/** What the page shows: the count of every candidate and the total, read from its text. */
async function shown(page: Page): Promise<{ counts: Record<string, number>; total: number }> {
  const counts = await page
    .locator('[data-candidate]')
    .evaluateAll((nodes) =>
      Object.fromEntries(nodes.map((n) => [n.getAttribute('data-candidate') ?? '', Number(n.textContent)])),
    );
  return { counts, total: Number(await page.locator('[data-total]').textContent()) };
}

function plus(base: Record<string, number>, delta: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(base).map(([name, votes]) => [name, votes + (delta[name] ?? 0)]));
}

describe('results page', () => {
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${localCloud().endpoints.console}/results.html`);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows every candidate the API reports, with live counts that follow new and changed votes', async () => {
    const before = await getResults();
    const base = votesOf(before);
    expect(before.candidates.length).toBeGreaterThanOrEqual(3);
    const [first, second, third] = before.candidates.map((c) => c.candidate) as [string, string, string];
    await expect.poll(() => shown(page), POLL).toEqual({ counts: base, total: before.total });

    const [ann, ben, cat] = ['ann', 'ben', 'cat'].map(uniqueVoter) as [string, string, string];
    for (const [voter, candidate] of [
      [ann, first],
      [ben, second],
      [cat, second],
    ] as const) {
      expect((await castVote(voter, candidate)).status).toBe(200);
    }
    await expect
      .poll(() => shown(page), POLL)
      .toEqual({ counts: plus(base, { [first]: 1, [second]: 2 }), total: before.total + 3 });

    expect((await castVote(ben, third)).status).toBe(200);
    await expect
      .poll(() => shown(page), POLL)
      .toEqual({ counts: plus(base, { [first]: 1, [second]: 1, [third]: 1 }), total: before.total + 3 });
    expect(pageErrors).toEqual([]);
  });

  it("votes only when signed in, sending the bearer token and the candidate alone (the voter is the token's user)", async () => {
    const candidate = (await getResults()).candidates[0]!.candidate;
    const vote = page.locator(`[data-vote="${candidate}"]`);
    await vote.waitFor();
    expect(await vote.isDisabled()).toBe(true);
    expect(await page.locator('[data-vote-hint]').isVisible()).toBe(true);
    await screenshot(page, 'results-signed-out');

    const user = uniqueVoter('form');
    await signInLocally(page, user);
    expect(await page.locator('[data-signed-in-as]').textContent()).toMatch(/^Signed in as form-.+@example\.com$/);
    expect(await vote.isDisabled()).toBe(false);
    expect(await page.locator('[data-vote-hint]').isVisible()).toBe(false);
    const [request] = await Promise.all([page.waitForRequest(`${localCloud().endpoints.http}/votes`), vote.click()]);
    expect(request.headers().authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(request.postDataJSON()).toEqual({ candidate });
    await expect.poll(() => page.locator('[data-vote-message]').getAttribute('data-kind'), POLL).not.toBe('pending');
    expect(await page.locator('[data-vote-message]').textContent()).toBe(`Vote for ${candidate} recorded.`);
    // Counted for the signed-in user: the vote is stored under the token's sub.
    const stored = await votes.send(
      new GetCommand({ TableName: physicalId('VoteApp'), Key: { VoterId: userIdFor(user) } }),
    );
    expect(stored.Item).toMatchObject({ Candidate: candidate, Channel: 'web' });
    await screenshot(page, 'results-signed-in');

    await page.locator('[data-sign-out]').click();
    expect(await vote.isDisabled()).toBe(true);
  });

  it('says so when the API cannot be reached, and recovers by itself', async () => {
    // Totals come pushed over the WebSocket API; with that endpoint down, the page polls GET /results instead.
    await page.route('**/config.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        body: (await response.text()).replace(
          /"resultsSocketUrl":"[^"]*"/,
          '"resultsSocketUrl":"ws://127.0.0.1:9/test"',
        ),
      });
    });
    await page.reload();
    await expect.poll(async () => Number(await page.locator('[data-total]').textContent()), POLL).toBeGreaterThan(0);
    const resultsUrl = `${localCloud().endpoints.http}/results`;
    await page.route(resultsUrl, (route) => route.abort('connectionrefused'));
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-state'), POLL).toBe('error');
    expect(Number(await page.locator('[data-total]').textContent())).toBeGreaterThan(0); // last known counts stay up
    await page.unroute(resultsUrl);
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-state'), POLL).toBe('live');
  });
});
