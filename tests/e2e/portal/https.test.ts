import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH, PHONE, PHONE_HOST, startTestHub, tempDir, type TestHub } from '../../support/index.js';
import { issueFromCsr, testCa } from '../../support/tls.js';

const DOMAIN = 'hubs.espace-test.example';
const NAME = `kayes-demo.${DOMAIN}`;

/**
 * Chromium as a phone: its own home (so its own NSS trust store), the hub's names resolved to
 * loopback, a fake microphone. `trust` is the PEM of a root the phone trusts, or none (an old
 * trust store).
 */
async function phone(home: string, trust?: string): Promise<Browser> {
  mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
  execFileSync('certutil', ['-d', `sql:${join(home, '.pki', 'nssdb')}`, '-N', '--empty-password']);
  if (trust) {
    writeFileSync(join(home, 'root.pem'), trust);
    execFileSync('certutil', ['-d', `sql:${join(home, '.pki', 'nssdb')}`, '-A', '-t', 'C,,', '-n', 'espace-test-root', '-i', join(home, 'root.pem')]);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    env: { ...process.env, HOME: home },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-dev-shm-usage',
      '--disable-component-update',
      '--no-first-run',
      `--host-resolver-rules=MAP ${PHONE_HOST} 127.0.0.1, MAP ${NAME} 127.0.0.1`,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  });
}

describe('a phone that can use the hub’s certificate moves to HTTPS; one that cannot stays on plain HTTP', () => {
  let hub: TestHub | undefined;
  const homes = tempDir('espace-phones-');
  const browsers: Browser[] = [];

  before(async () => {
    hub = await startTestHub({ seedDemo: true, dnsName: PHONE_HOST, tls: { domain: DOMAIN, port: 0 } });
    const ca = await testCa();
    await hub.deps.tls!.install(await issueFromCsr(ca, await hub.deps.tls!.store.csr()));
    browsers.push(await phone(join(homes.path, 'trusting'), ca.certPem), await phone(join(homes.path, 'old')));
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await hub?.stop();
    homes.remove();
  });

  it('a phone with an old trust store stays on http://espace.home.arpa and keeps working', async () => {
    const context = await browsers[1]!.newContext({ ...PHONE });
    const http = `http://${PHONE_HOST}:${hub!.port}`;
    await context.addCookies([{ name: 'lang', value: 'fr', url: http }]);
    const page = await context.newPage();
    await page.goto(`${http}/elus/kayes-maire`);
    // It tried the HTTPS name itself, failed, and stayed.
    await page.waitForFunction(() => sessionStorage.getItem('secure-tried') === '1');
    await page.waitForTimeout(1500);
    assert.equal(new URL(page.url()).origin, http);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    assert.equal(await page.locator('#voice').isVisible(), true, 'the file recorder is there');
    await context.close();
  });

  it('a phone that trusts it moves to HTTPS after fetching there itself, records in the page, and keeps a course offline', async () => {
    const context = await browsers[0]!.newContext({ ...PHONE, permissions: ['microphone'] });
    const http = `http://${PHONE_HOST}:${hub!.port}`;
    const https = `https://${NAME}:${hub!.deps.tls!.port}`;
    await context.addCookies([{ name: 'lang', value: 'fr', url: http }]);
    const page = await context.newPage();
    await page.goto(`${http}/elus/kayes-maire`);
    await page.waitForURL(`${https}/elus/kayes-maire`, { timeout: 20_000 });
    assert.deepEqual(await page.evaluate(() => ({ secure: window.isSecureContext, sw: 'serviceWorker' in navigator, mic: 'mediaDevices' in navigator })), {
      secure: true,
      sw: true,
      mic: true,
    });
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr', 'the language came along');

    // A voice message from the (fake) microphone, over HTTPS.
    const before = (await hub!.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:feedback:', endkey: 'kayes-demo:feedback:\ufff0' })).rows.length;
    await page.getByRole('button', { name: 'Enregistrer ma voix' }).click();
    await page.getByText('Enregistrement en cours').waitFor();
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: 'Arrêter' }).click();
    await page.getByRole('button', { name: 'Envoyer ma voix' }).click();
    await page.locator('.recstate', { hasText: 'Votre message est arrivé' }).waitFor({ timeout: 20_000 });
    const after = await hub!.deps.dbs.submissions.allDocs({ include_docs: true, startkey: 'kayes-demo:feedback:', endkey: 'kayes-demo:feedback:\ufff0' });
    assert.equal(after.rows.length, before + 1);
    const att = Object.values(
      (after.rows.at(-1)!.doc as unknown as { _attachments: Record<string, { content_type: string; length: number }> })._attachments
    )[0]!;
    assert.match(att.content_type, /^audio\/(webm|ogg)$/);
    assert.ok(att.length > 1000);

    // Keep a course offline with the service worker, then stop the hub and open it.
    await page.goto(`${https}/apprendre/alphabetisation-numerique`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.getByRole('button', { name: 'Garder hors-ligne' }).click();
    await page.locator('.keepstate', { hasText: 'Gardé sur ce téléphone' }).waitFor({ timeout: 60_000 });
    await hub!.stop();
    hub = undefined;
    await page.goto(`${https}/apprendre/alphabetisation-numerique/1`);
    assert.ok((await page.locator('main article.lesson').innerText()).length > 50, 'the lesson opens with the hub stopped');
    await context.close();
  });
});
