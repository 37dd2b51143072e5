import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, driven by Playwright; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags every test's Chromium runs with (no sandbox as root, no GPU, nothing fetched by the browser itself). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
  '--disable-component-update',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}

/** The name phones use on the space's Wi-Fi (the captive DNS answers it). */
export const PHONE_HOST = 'espace.home.arpa';

/**
 * Chromium as a phone on the space's Wi-Fi sees the hub: by its real names, resolved to the
 * loopback hub, so the page's origin is not "localhost" (which Chromium treats as secure).
 */
export async function launchOnPhoneOrigin(names: string[] = [PHONE_HOST], extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=${names.map((n) => `MAP ${n} 127.0.0.1`).join(', ')}`, ...extraArgs],
  });
}

export const PHONE = { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

/** A phone's page fits its 360 px: nothing to scroll sideways. */
export async function assertNoSideways(p: Page): Promise<void> {
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (${width}) on ${p.url()}`);
}
export const KIOSK = { viewport: { width: 1920, height: 1080 } } as const;

/**
 * Records every request a page makes that is not to `allowedOrigin`, so a test can assert
 * that nothing leaves the hub.
 */
export function watchForeignRequests(context: BrowserContext, allowedOrigin: string): string[] {
  const foreign: string[] = [];
  context.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== allowedOrigin) foreign.push(url);
  });
  return foreign;
}
