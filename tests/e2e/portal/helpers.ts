import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/index.js';

/** Debian's Chromium with the project's usual flags, plus a fake microphone that needs no prompt. */
export function launchWithFakeMicrophone(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
}

/** axe-core on the page as it is: no serious or critical violation allowed. */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`
    ),
    [],
    `accessibility of ${where}`
  );
}

/** Records Content-Security-Policy violations the browser reports on this page. */
export function watchCspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(`${page.url()}: ${msg.text()}`);
  });
  return seen;
}

/** Every link on the page stays on the hub. */
export async function assertNoLinkLeaves(page: Page, origin: string): Promise<void> {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  const leaving = hrefs.filter((h) => new URL(h).origin !== origin);
  assert.deepEqual(leaving, [], `links leaving the hub on ${page.url()}`);
}
