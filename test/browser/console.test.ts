import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { localCloud } from '../support/cloud.ts';
import { castVote, getResults, uniqueVoter } from '../support/votes.ts';

describe('pipeline console', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the aggregateVotes mapping and counts the records it has processed', async () => {
    const { candidates: [first] } = await getResults();
    expect((await castVote(uniqueVoter('console'), first!.candidate)).status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${localCloud().endpoints.console}/console.html`);
    const row = page.locator('[data-mappings] tr[data-function="aggregateVotes"]');
    await expect.poll(async () => Number(await row.locator('[data-field="records"]').textContent()), { timeout: 20_000, interval: 100 })
      .toBeGreaterThan(0);
    expect(await row.locator('[data-field="kind"]').textContent()).toBe('dynamodb');
    expect(await page.locator('[data-status]').getAttribute('data-state')).toBe('live');
    expect(await page.locator('a[href="results.html"]').count()).toBe(1);
  });
});
