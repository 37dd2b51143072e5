import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchOnPhoneOrigin, PHONE, PHONE_HOST, spokenRecording, startTestHub, tempDir, watchForeignRequests, type TestHub } from '../../support/index.js';
import { assertAccessible } from './helpers.js';

type Voice = { _attachments?: Record<string, { content_type: string; length: number }> };

/**
 * What a phone gets at http://espace.home.arpa/ — not a secure context: no service worker, no
 * microphone API. Every feature that can work without one must: a voice message through the
 * phone's own recorder, and courses taken home as plain downloads.
 */
describe('a phone on plain HTTP, at the hub’s real name', () => {
  let hub: TestHub;
  let browser: Browser;
  let origin: string;
  const files = tempDir('espace-voice-files-');

  const voices = async (): Promise<Voice[]> => {
    const docs = await hub.deps.dbs.submissions.allDocs({ include_docs: true, startkey: 'kayes-demo:feedback:', endkey: 'kayes-demo:feedback:\ufff0' });
    return docs.rows.map((r) => r.doc as unknown as Voice).filter((d) => d._attachments);
  };

  before(async () => {
    hub = await startTestHub({ seedDemo: true, dnsName: PHONE_HOST });
    origin = `http://${PHONE_HOST}:${hub.port}`;
    browser = await launchOnPhoneOrigin();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
    files.remove();
  });

  it('is not a secure context: no service worker, no microphone API, the recorder stays hidden', async () => {
    const context = await browser.newContext({ ...PHONE });
    await context.addCookies([{ name: 'lang', value: 'fr', url: origin }]);
    const page = await context.newPage();
    await page.goto(`${origin}/elus/kayes-maire`);
    const facts = await page.evaluate(() => ({ secure: window.isSecureContext, sw: 'serviceWorker' in navigator, mic: 'mediaDevices' in navigator }));
    assert.deepEqual(facts, { secure: false, sw: false, mic: false });
    assert.equal(await page.locator('[data-recorder]').isVisible(), false);
    assert.equal(await page.locator('input[type=file][accept="audio/*"][capture]').isVisible(), true);
    await context.close();
  });

  it('sends a voice message made by the phone’s recorder; its type is read from the bytes, not the name', async () => {
    const context = await browser.newContext({ ...PHONE });
    const foreign = watchForeignRequests(context, origin);
    await context.addCookies([{ name: 'lang', value: 'fr', url: origin }]);
    const page = await context.newPage();
    await page.goto(`${origin}/elus/kayes-maire`);
    await assertAccessible(page, 'official with the file recorder');
    const before = (await voices()).length;
    // An Ogg Opus recording the phone calls "audio/mpeg": stored as what it is.
    await page.setInputFiles('#voice', { name: 'enregistrement.mp3', mimeType: 'audio/mpeg', buffer: spokenRecording() });
    await page.getByRole('button', { name: "Envoyer l'enregistrement" }).click();
    await page.locator('#sent').waitFor();
    const after = await voices();
    assert.equal(after.length, before + 1);
    const [name, att] = Object.entries(after.at(-1)!._attachments!)[0]!;
    assert.equal(name, 'voice.ogg');
    assert.equal(att.content_type, 'audio/ogg');
    assert.equal(att.length, spokenRecording().length);
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it('sends a voice message with JavaScript off, and refuses a file that is not a recording in French', async () => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    await context.addCookies([{ name: 'lang', value: 'fr', url: origin }]);
    const page = await context.newPage();
    await page.goto(`${origin}/elus/kayes-maire`);
    const wav = join(files.path, 'memo.wav');
    writeFileSync(wav, spokenRecording('wav'));
    await page.setInputFiles('#voice', wav);
    await page.getByRole('button', { name: "Envoyer l'enregistrement" }).click();
    await page.locator('#sent').waitFor();
    const stored = await voices();
    assert.equal(Object.values(stored.at(-1)!._attachments!)[0]!.content_type, 'audio/wav');

    const count = stored.length;
    await page.setInputFiles('#voice', { name: 'voix.ogg', mimeType: 'audio/ogg', buffer: Buffer.from('<html><script>alert(1)</script></html>'.repeat(20)) });
    const [res] = await Promise.all([page.waitForResponse(/\/voix$/), page.getByRole('button', { name: "Envoyer l'enregistrement" }).click()]);
    assert.equal(res.status(), 422);
    assert.match(await page.locator('.notice.err').innerText(), /n'est pas un enregistrement de voix/);
    assert.equal((await voices()).length, count, 'nothing stored');
    await context.close();
  });

  it('takes a course home as plain files with their sizes, and says honestly what keeping pages needs', async () => {
    const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
    await context.addCookies([{ name: 'lang', value: 'fr', url: origin }]);
    const page = await context.newPage();
    await page.goto(`${origin}/apprendre/alphabetisation-numerique`);
    assert.equal(await page.getByRole('button', { name: 'Garder hors-ligne' }).isVisible(), false, 'no keep button without a service worker');
    const links = page.locator('#emporter a.download');
    assert.ok((await links.count()) >= 3, 'each lesson’s audio is offered');
    const label = await links.first().innerText();
    const m = /\(([\d ,]+) (Ko|Mo)\)/.exec(label);
    assert.ok(m, `the size is shown: ${label}`);
    const [download] = await Promise.all([page.waitForEvent('download'), links.first().click()]);
    assert.match(download.suggestedFilename(), /\.(opus|ogg|mp3|m4a)$/);
    const saved = join(files.path, download.suggestedFilename());
    await download.saveAs(saved);
    const { size } = await import('node:fs/promises').then((f) => f.stat(saved));
    assert.equal(`${Math.ceil(size / 1000)}`, m[1]!.replace(/\s/g, ''), 'the size shown is the file’s');

    await page.goto(`${origin}/hors-ligne`);
    const needs = page.locator('[data-cannot-keep]');
    assert.equal(await needs.isVisible(), true);
    assert.match(await needs.innerText(), /https:\/\//);
    assert.match(await needs.innerText(), /Télécharger/);
    await assertAccessible(page, 'what keeping needs');
    await context.close();
  });
});
