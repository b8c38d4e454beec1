import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/**
 * Starts Debian's headless Chromium (never a downloaded browser). Playwright gives each launch a fresh,
 * temporary profile; the flags keep Chromium from reaching the network on its own (the machine is offline).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
