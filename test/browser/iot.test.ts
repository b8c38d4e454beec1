import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInLocally } from '../support/browser.ts';
import { operatorHeaders, tokenFor } from '../support/auth.ts';
import { localCloud } from '../support/cloud.ts';
import { uniqueSensor } from '../support/iot.ts';
import { sessionOf } from '../../web/sign-in.js';

// A reading travels stream -> storeSensorReadings -> SensorData before the page can show it.
const POLL = { timeout: 30_000, interval: 200 };

/** The rows of the "newest readings" table, as the page shows them. */
async function tableRows(page: Page): Promise<Array<{ humidity: string; temperature: string }>> {
  return page.locator('[data-readings-table] tbody tr[data-timestamp]').evaluateAll((rows) =>
    rows.map((row) => ({
      humidity: row.querySelector('[data-field="humidity"]')?.textContent ?? '',
      temperature: row.querySelector('[data-field="temperature"]')?.textContent ?? '',
    })),
  );
}

async function publish(page: Page, deviceIds: string, humidity: string, temperature: string): Promise<void> {
  await page.locator('#device-ids').fill(deviceIds);
  await page.locator('#humidity').fill(humidity);
  await page.locator('#temperature').fill(temperature);
  await page.locator('[data-publish]').click();
}

const message = (page: Page) => page.locator('[data-publish-message]');

describe('IoT console', () => {
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const sensor = uniqueSensor('console');

  const sentAuthorization = new Map<string, string | undefined>(); // the last Authorization header per API path

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (request.url().startsWith(localCloud().endpoints.http))
        sentAuthorization.set(new URL(request.url()).pathname, request.headers().authorization);
    });
    await page.goto(`${localCloud().endpoints.console}/iot.html`);
    // Start the publishing function once (a refused request): on a loaded machine its first start can outlast
    // the page's 5 s request timeout, and the page would report a timeout instead of the answer.
    await fetch(`${localCloud().endpoints.http}/sensors/readings`, {
      method: 'POST',
      headers: await operatorHeaders(),
      body: '{"readings":[]}',
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signed out: asks for an operator sign-in instead of calling the API, and publishes nothing', async () => {
    await expect
      .poll(() => page.locator('[data-alerts-note]').textContent(), POLL)
      .toBe('Sign in as a member of the operators group to use this page.');
    expect(await page.locator('[data-status]').textContent()).toBe('Not signed in as an operator');
    await publish(page, sensor, '40', '20');
    await expect
      .poll(() => message(page).textContent(), POLL)
      .toBe('Not published: Sign in as a member of the operators group to use this page.');
    expect(sentAuthorization.size).toBe(0);
    await screenshot(page, 'iot-signed-out');
  });

  it('signed in without the operators group: says the user is not an operator (403)', async () => {
    const token = await tokenFor('not-an-operator');
    // The session the page keeps for such a token, put where the page keeps it (its sign-in only mints operators).
    await page.evaluate(([key, value]) => sessionStorage.setItem(key, value), [
      'refarch.auth',
      JSON.stringify(sessionOf(token)),
    ] as const);
    await page.reload();
    await expect
      .poll(() => page.locator('[data-alerts-note]').textContent(), POLL)
      .toMatch(
        /^not-an-operator@example\.com is not in the operators group\. Sign out and sign in as a member of operators\.$/,
      );
    expect(sentAuthorization.get('/sensors/alerts')).toBe(`Bearer ${token}`);
    await page.locator('[data-sign-out]').click();
    expect(await page.locator('[data-sign-in]').getAttribute('data-state')).toBe('signed-out');
  });

  it('signs in locally as an operator and sends the token on its calls', async () => {
    await signInLocally(page, 'olga');
    expect(await page.locator('[data-signed-in-as]').textContent()).toBe('Signed in as olga@example.com (operators)');
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-state'), POLL).toBe('live');
    expect(sentAuthorization.get('/sensors/alerts')).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('publishes a reading for a new sensor and shows it in the table and on the chart', async () => {
    await publish(page, sensor, '42.5', '21.5');
    await expect.poll(() => message(page).textContent(), POLL).toMatch(/: 1 reading accepted\.$/);
    // With no sensor chosen yet, the page shows the one it just published for and keeps it in the URL.
    expect(await page.locator('#sensor-id').inputValue()).toBe(sensor);
    expect(new URL(page.url()).searchParams.get('sensor')).toBe(sensor);

    await expect.poll(() => tableRows(page), POLL).toEqual([{ humidity: '42.5', temperature: '21.5' }]);
    expect(await page.locator('[data-point="humidity"]').count()).toBe(1);
    expect(await page.locator('[data-point="temperature"]').count()).toBe(1);
    expect(await page.locator('[data-chart-summary]').textContent()).toBe(
      `${sensor}: 1 reading in the last hour; latest humidity 42.5 %, temperature 21.5 °C`,
    );

    await page.waitForTimeout(5); // a second reading needs a later timestamp (the table key is sensor + time)
    await publish(page, sensor, '44', '22');
    await expect
      .poll(() => tableRows(page), POLL)
      .toEqual([
        { humidity: '44', temperature: '22' },
        { humidity: '42.5', temperature: '21.5' },
      ]);
    expect(await page.locator('[data-series="humidity"]').getAttribute('d')).toMatch(
      /^M [\d.]+ [\d.]+ L [\d.]+ [\d.]+$/,
    );
    expect(sentAuthorization.get('/sensors/readings')).toMatch(/^Bearer /);
    expect(sentAuthorization.get(`/sensors/${sensor}/readings`)).toMatch(/^Bearer /);
    await screenshot(page, 'iot-signed-in');
    expect(pageErrors).toEqual([]);
  });

  it('opens a sensor and range named in the URL', async () => {
    await page.goto(`${localCloud().endpoints.console}/iot.html?sensor=${encodeURIComponent(sensor)}&range=day`);
    expect(await page.locator('#sensor-id').inputValue()).toBe(sensor);
    expect(await page.locator('input[name="range"][value="day"]').isChecked()).toBe(true);
    await expect.poll(() => tableRows(page), POLL).toHaveLength(2);
    expect(await page.locator('[data-chart-summary]').textContent()).toMatch(/^.+: 2 readings in the last day;/);
  });

  it("shows the API's reason when it refuses a reading", async () => {
    await publish(page, sensor, '150', '21');
    await expect.poll(() => message(page).getAttribute('data-kind'), POLL).toBe('error');
    const text = await message(page).textContent();
    expect(text).toMatch(/^Not published: .*humidity/);
    expect(text).not.toMatch(/HTTP 400/); // the API's own message, not a bare status
  });

  it('lists a low-humidity alert and opens its sensor from the list', async () => {
    const dry = uniqueSensor('dry');
    await publish(page, dry, '20', '24');
    await expect.poll(() => message(page).textContent(), POLL).toMatch(/1 reading accepted\.$/);
    const alertRow = page.locator(`[data-alert="${dry}"]`);
    await expect.poll(() => alertRow.count(), POLL).toBe(1);
    expect(await alertRow.locator('td.num').allTextContents()).toEqual(['20', '35']);
    await alertRow.getByRole('button').click();
    expect(await page.locator('#sensor-id').inputValue()).toBe(dry);
    await expect.poll(() => tableRows(page), POLL).toEqual([{ humidity: '20', temperature: '24' }]);
  });

  it('says so when the API cannot be reached, keeps the last data, and recovers by itself', async () => {
    const readings = `${localCloud().endpoints.http}/sensors/*/readings**`;
    await page.route(readings, (route) => route.abort('connectionrefused'));
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-state'), POLL).toBe('error');
    expect(await page.locator('[data-readings-note]').getAttribute('data-state')).toBe('error');
    expect(await tableRows(page)).toHaveLength(1);
    await page.unroute(readings);
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-state'), POLL).toBe('live');
    expect(pageErrors).toEqual([]);
  });
});
