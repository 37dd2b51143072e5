import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  buildPack,
  DEMO_KEY_ID,
  DEMO_KEYS_DIR,
  DEMO_PACK_DIR,
  DEMO_PACK_FILE,
  demoTrustedKey,
  loadSigningKey,
  translationId,
  verdictId,
} from '../../../content/index.js';
import { UserStore } from '../../../hub/auth/index.js';
import { projectRoot } from '../../../hub/config/index.js';
import { accept, decline, pendingContributions, publishPack } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { CHROMIUM_PATH, PHONE, startTestHub, tempDir, type TestHub } from '../../support/index.js';
import { assertAccessible } from '../portal/helpers.js';

const TARGET = 'quiz:alphabetisation-numerique';
const FIELD = 'questions.0.choices.0.label';

interface Coverage {
  languages: { lang: string; interface: { texts: number; voices: number }; content: { texts: number; voices: number; total: number } }[];
}
const coverageOf = async (hub: TestHub, lang: string) =>
  ((await (await fetch(`${hub.url}/api/v1/coverage`)).json()) as Coverage).languages.find((l) => l.lang === lang)!;

/**
 * The path end to end: a facilitator records a Bambara take for a quiz option in the
 * studio of hub A (Chromium's fake microphone playing a generated WAV), it reaches central, an
 * editor accepts it, hub B pulls it, and a Bambara visitor on hub B's phone origin hears it.
 * A rejected translation never reaches a hub; coverage moves by exactly the accepted item.
 */
describe('the studio: record in one space, review in Bamako, heard in another', () => {
  let central: TestCentral;
  let hubA: TestHub;
  let hubB: TestHub;
  let browser: Browser;
  let dir: { path: string; remove(): void };
  let page: Page;

  before(async () => {
    dir = tempDir('espace-studio-');
    // Two seconds of a voice-like sound between half-seconds of silence (trimmed by the hub).
    const wav = join(dir.path, 'voice.wav');
    execFileSync('sox', [
      '-n',
      '-r',
      '48000',
      '-c',
      '1',
      '-b',
      '16',
      wav,
      'synth',
      '2',
      'sine',
      '220',
      'sine',
      '440',
      'tremolo',
      '3',
      '60',
      'vol',
      '0.4',
      'pad',
      '0.5',
      '0.5',
    ]);
    central = await startTestCentral();
    let packFile = join(projectRoot(), DEMO_PACK_FILE);
    if (!existsSync(packFile)) {
      packFile = join(dir.path, 'kayes.espack');
      await buildPack(join(projectRoot(), DEMO_PACK_DIR), loadSigningKey(join(projectRoot(), DEMO_KEYS_DIR, `${DEMO_KEY_ID}.key`)), packFile);
    }
    await publishPack(packFile, central.url, central.editor, [demoTrustedKey(projectRoot())]);
    const a = await central.enroll('kayes-a');
    const b = await central.enroll('kayes-b');
    hubA = await startTestHub({ hubId: 'kayes-a', seedDemo: true, central: { url: central.url, username: a.username, password: a.password } });
    hubB = await startTestHub({ hubId: 'kayes-b', central: { url: central.url, username: b.username, password: b.password } });
    await new UserStore(hubA.dataDir).add('awa', 'facilitator', 'facil-password-1');
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}`,
        '--autoplay-policy=no-user-gesture-required',
        '--host-resolver-rules=MAP espace.home.arpa 127.0.0.1',
      ],
    });
    // The facilitator's studio at the kiosk: localhost, a secure context, so the microphone works.
    const kiosk = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['microphone'] });
    page = await kiosk.newPage();
  });
  after(async () => {
    await browser?.close();
    await hubA?.stop();
    await hubB?.stop();
    await central?.stop();
    dir?.remove();
  });

  it('a facilitator records a Bambara take for a quiz option and writes a translation; the studio pages pass axe', async () => {
    await page.goto(`${hubA.url}/admin/login`);
    await page.fill('#username', 'awa');
    await page.fill('#password', 'facil-password-1');
    await Promise.all([page.waitForURL(`${hubA.url}/admin`), page.click('button[type=submit]')]);
    await page.goto(`${hubA.url}/admin/studio?lang=bm`);
    assert.match(await page.locator('table.coverage').innerText(), /bambara/);
    await assertAccessible(page, 'the studio queue');
    await page.goto(`${hubA.url}/admin/studio/item?${new URLSearchParams({ target: TARGET, field: FIELD, lang: 'bm' })}`);
    await assertAccessible(page, 'a studio item');
    const voice = page.locator('form[data-recorder]');
    await voice.locator('[data-rec]').click();
    await page.waitForTimeout(3000);
    await voice.locator('[data-stop]').click();
    await page.waitForFunction(() => document.querySelector('form[data-recorder]')?.getAttribute('data-ready') === '1', undefined, { timeout: 20_000 });
    assert.equal(await voice.locator('input[type=file]').evaluate((i) => (i as HTMLInputElement).files?.[0]?.type), 'audio/wav');
    await voice.locator('input[name=consent]').check();
    await Promise.all([page.waitForURL(/\/admin\/studio\/item\?/), voice.locator('button[type=submit]').click()]);
    assert.match(await page.locator('.flash').innerText(), /Prise de [0-9.]+ s envoyée/);
    // And a Bambara translation of another item, which Bamako will refuse.
    await page.goto(`${hubA.url}/admin/studio/item?${new URLSearchParams({ target: TARGET, field: 'questions.0.prompt', lang: 'bm' })}`);
    await page.locator('[data-insert="ɛ"]').click();
    await page.fill('#text', 'Nin ye misali ye');
    await page.locator('form[action="/admin/studio/text"] input[name=consent]').check();
    await Promise.all([page.waitForURL(/\/admin\/studio\/item\?/), page.locator('form[action="/admin/studio/text"] button[type=submit]').click()]);
    await assertAccessible(page, 'a studio item after sending');
    const sent = await hubA.deps.dbs.submissions.allDocs({
      startkey: 'kayes-a:contribution:',
      endkey: 'kayes-a:contribution:\ufff0',
      include_docs: true,
      attachments: false,
    });
    assert.equal(sent.rows.length, 2);
    const take = sent.rows
      .map((r) => r.doc as unknown as { seconds?: number; _attachments?: Record<string, { length: number; content_type: string }> })
      .find((d) => d.seconds)!;
    assert.equal(take._attachments!['take.opus']!.content_type, 'audio/ogg');
    // Three seconds recorded, the fake device's silences trimmed: the take is shorter than the recording.
    assert.ok(take.seconds! > 0.5 && take.seconds! <= 3.5, `take of ${take.seconds} s`);
  });

  it('reaches central; the editor accepts the take and rejects the translation; hub B pulls only the accepted one and a Bambara visitor hears it', async () => {
    // Hub B has the published pack first; its coverage then is the reference.
    assert.equal((await hubB.deps.sync.runNow('test')).ok, true);
    const before = await coverageOf(hubB, 'bm');
    assert.ok(before.content.total > 50 && before.content.texts > 0);
    assert.equal((await hubA.deps.sync.runNow('test')).ok, true);
    await central.settled(); // CouchDB's replicator copies contributions into studio a moment after the push
    // The editor, not an administrator: editors read the studio and nothing else of what hubs push.
    const pending = await pendingContributions(central.url, central.editor);
    assert.equal(pending.length, 2);
    const take = pending.find((c) => c.hasTake)!;
    const text = pending.find((c) => c.text)!;
    assert.equal(take.french, '8');
    const accepted = await accept(central.url, central.editor, take._id, 'editor');
    await decline(central.url, central.editor, text._id, 'rejected', 'editor', 'Le mot ne convient pas ici.');
    assert.equal((await pendingContributions(central.url, central.editor)).length, 0);

    const first = await hubB.deps.sync.runNow('test');
    assert.equal(first.ok, true, JSON.stringify(first));
    const second = await hubB.deps.sync.runNow('test');
    assert.equal(second.ok, true);
    // The accepted take arrived as content and media; the rejected text arrived nowhere.
    const t = await hubB.deps.dbs.content.get(translationId(TARGET, FIELD, 'bm'));
    assert.equal((t as unknown as { audio: string }).audio, accepted.media!.sha256);
    await assert.rejects(hubB.deps.dbs.content.get(translationId(TARGET, 'questions.0.prompt', 'bm')), { status: 404 });
    const all = await hubB.deps.dbs.content.allDocs({ startkey: 'translation:', endkey: 'translation:\ufff0' });
    assert.equal(all.rows.length, 1);
    // The refusal goes back to hub A only, whose studio says it; no phone can read it.
    await assert.rejects(hubB.deps.dbs.content.get(verdictId(text._id)), { status: 404 });
    assert.equal((await hubA.deps.sync.runNow('test')).ok, true);
    assert.equal(((await hubA.deps.dbs.content.get(verdictId(text._id))) as unknown as { decision: string }).decision, 'rejected');
    assert.equal((await fetch(`${hubA.url}/api/v1/content/${encodeURIComponent(verdictId(text._id))}`)).status, 404);
    await page.goto(`${hubA.url}/admin/studio?lang=bm`);
    assert.match(await page.locator('#retours').innerText(), /Refusée \(bambara\) : Le mot ne convient pas ici\./);
    await page.locator('#retours a').first().click();
    assert.match(await page.locator('body').innerText(), /refusée : Le mot ne convient pas ici\./);

    // Coverage moved by exactly the accepted item: one more Bambara voice, no new text.
    const now = await coverageOf(hubB, 'bm');
    assert.equal(now.content.voices, before.content.voices + 1);
    assert.equal(now.content.texts, before.content.texts);
    assert.equal(now.interface.voices, before.interface.voices);

    const phone = await browser.newContext({ ...PHONE });
    const origin = `http://espace.home.arpa:${new URL(hubB.url).port}`;
    await phone.addCookies([{ name: 'lang', value: 'bm', url: origin }]);
    const visitor = await phone.newPage();
    await visitor.goto(`${origin}/apprendre/quiz/alphabetisation-numerique`);
    const play = visitor.locator('.choice:has(input[name=q0][value="0"]) a.play');
    assert.equal(await play.getAttribute('href'), `/media/${accepted.media!.sha256}`);
    assert.equal(await play.getAttribute('data-voice'), 'person');
    assert.equal(await play.getAttribute('data-voice-lang'), 'bm');
    // The other options still say they play the French synthetic voice.
    assert.equal(await visitor.locator('.choice:has(input[name=q0][value="1"]) a.play').getAttribute('data-voice'), 'synthetic');
    const heard = await visitor.evaluate(async (src) => {
      const audio = document.createElement('audio');
      audio.src = src;
      document.body.appendChild(audio);
      await audio.play();
      await new Promise((r) => setTimeout(r, 600));
      return { src: audio.currentSrc, time: audio.currentTime, duration: audio.duration };
    }, `/media/${accepted.media!.sha256}`);
    assert.ok(heard.src.endsWith(`/media/${accepted.media!.sha256}`));
    assert.ok(heard.time > 0, `played ${heard.time} s of ${heard.duration}`);
    await phone.close();
  });
});
