import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { localCloud, physicalId } from '../support/cloud.ts';
import { putFile } from '../support/files.ts';
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
    const {
      candidates: [first],
    } = await getResults();
    expect((await castVote(uniqueVoter('console'), first!.candidate)).status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${localCloud().endpoints.console}/console.html`);
    const row = page.locator('[data-mappings] tr[data-function="aggregateVotes"]');
    await expect
      .poll(async () => Number(await row.locator('[data-field="records"]').textContent()), {
        timeout: 20_000,
        interval: 100,
      })
      .toBeGreaterThan(0);
    expect(await row.locator('[data-field="kind"]').textContent()).toBe('dynamodb');
    expect(await page.locator('[data-status]').getAttribute('data-state')).toBe('live');
    expect(await page.locator('a[href="results.html"]').count()).toBe(1);
  });

  it('lists the HTML and text the file pipeline made of an upload in the Buckets panel, and serves them sandboxed', async () => {
    const stem = `console-${process.pid}-${Date.now()}/notes`;
    await putFile(physicalId('InputBucket'), `${stem}.md`, '# Console check\n\nRendered by the pipeline.\n');
    const page = await browser.newPage();
    await page.goto(`${localCloud().endpoints.console}/console.html`);
    const output = page.locator(`[data-buckets] section[data-bucket="${physicalId('OutputBucket')}"]`);
    const html = output.locator(`tr[data-key="html/${stem}.html"]`);
    const text = output.locator(`tr[data-key="text/${stem}.txt"]`);
    // The pipeline runs first (S3 -> SNS -> functions), then the panel's next refresh shows its artifacts.
    await expect
      .poll(async () => (await html.count()) + (await text.count()), { timeout: 60_000, interval: 250 })
      .toBe(2);
    expect(await output.locator('[data-field="logicalId"]').textContent()).toBe('OutputBucket');
    expect(
      await page
        .locator(`[data-buckets] section[data-bucket="${physicalId('InputBucket')}"] tr[data-key="${stem}.md"]`)
        .count(),
    ).toBe(1);

    const link = html.locator('[data-field="key"] a');
    expect(await link.textContent()).toBe(`html/${stem}.html`);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener');
    const response = await fetch(new URL((await link.getAttribute('href'))!, localCloud().endpoints.console));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('Console check');
  });
});
