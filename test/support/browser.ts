import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/**
 * Starts Debian's headless Chromium (never a downloaded browser). Playwright gives each launch a fresh,
 * temporary profile; the flags keep Chromium from reaching the network on its own (the machine is offline).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in through the page's sign-in control, as the local cloud offers it (a user name), and waits for it. */
export async function signInLocally(page: Page, user: string): Promise<void> {
  await page.locator('#sign-in-user').fill(user);
  await page.locator('[data-sign-in-form] button[type="submit"]').click();
  await page.locator('[data-signed-in-as]').waitFor({ timeout: 10_000 });
}

/** A full-page screenshot in .local/test/screenshots/<name>.png, to look at how a page renders. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = resolve(import.meta.dirname, '../../.local/test/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
