import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { answerId } from '../../../content/index.js';
import { couch, createCommunityUser } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { consoleLogin, startTestConsole, type TestConsole } from '../../support/console.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, makeMember, publishTopics, signInMember, startTestHub, tempDir, type TestHub } from '../../support/index.js';

const MENTOR = { username: 'fatoumata', password: 'mentor-password-2' };

/**
 * A mentor in France answers by voice, recorded in the console's page (issue 14): the
 * recorder fills the form's file input, central checks the recording like the hub does, and
 * the spoken answer reaches the asker's space.
 */
describe("a mentor's spoken answer, recorded in central's console", () => {
  let central: TestCentral;
  let cons: TestConsole;
  let hub: TestHub;
  let browser: Browser;
  let question: string;
  let asker: Awaited<ReturnType<typeof signInMember>>;
  const dir = tempDir('espace-mentor-rec-');

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    await createCommunityUser(central.url, central.admin, MENTOR.username, MENTOR.password, 'mentor');
    await publishTopics(central);
    const e = await central.enroll('nioro-01');
    hub = await startTestHub({ hubId: 'nioro-01', central: { url: central.url, username: e.username, password: e.password } });
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    asker = await signInMember(hub, (await makeMember(hub, 'Kadiatou')).code);
    const asked = await asker.multipart('/communaute/mentorat', {
      text: 'Comment présenter un budget sensible au genre ?',
      lang: 'fr',
      visibility: 'private',
      topic: 'budget-participatif',
    });
    question = decodeURIComponent(/\/communaute\/question\/([^?#]+)/.exec(asked.headers.get('location') ?? '')![1]!);
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    await central.settled();
    const wav = join(dir.path, 'mentor.wav');
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', wav, 'synth', '3', 'sine', '300', 'sine', '500', 'tremolo', '4', '60', 'vol', '0.4']);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`],
    });
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
    await cons?.stop();
    await central?.stop();
    dir.remove();
  });

  it('a file that is not a recording is refused in French and nothing is written', async () => {
    const mentor = await consoleLogin(cons.origin, MENTOR);
    const form = new FormData();
    form.set('_csrf', mentor.csrf);
    form.set('lang', 'fr');
    form.set('file', new Blob([Buffer.from('%PDF-1.4 not a sound at all')], { type: 'audio/ogg' }), 'reponse.ogg');
    const res = await fetch(`${cons.origin}/console/mentorat/${encodeURIComponent(question)}/repondre`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: mentor.cookie },
      body: form,
    });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /n’est pas un enregistrement sonore/);
    assert.equal((await couch(central.url, `content/${encodeURIComponent(answerId(question))}`, central.admin)).status, 404);
  });

  it('recorded in the page, listened to, sent: the asker hears it at the space', async () => {
    const mentor = await consoleLogin(cons.origin, MENTOR);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['microphone'] });
    const [name, value] = mentor.cookie.split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: cons.origin }]);
    const page = await context.newPage();
    await page.goto(`${cons.origin}/console/mentorat`);
    const card = page.locator('article', { hasText: 'budget sensible au genre' });
    // Served over loopback, the page is a secure context: the recorder shows beside the file input.
    await card.getByRole('button', { name: '● Enregistrer' }).click();
    await card.getByText('Enregistrement…').waitFor();
    await page.waitForTimeout(1500);
    await card.getByRole('button', { name: '■ Arrêter' }).click();
    await card.getByText(/Enregistré \(\d+ s\)/).waitFor();
    assert.equal(await card.locator('audio[data-preview]').isVisible(), true, 'the mentor can listen before sending');
    const picked = await card.locator('input[type=file]').evaluate((i) => (i as HTMLInputElement).files?.[0]?.type ?? '');
    assert.match(picked, /^audio\/(webm|ogg)/);
    await card.getByRole('button', { name: 'Répondre' }).click();
    await page.getByText('Réponse envoyée').waitFor();
    await context.close();

    const answer = await couch<{ answers: { voice?: { media: string } }[] }>(central.url, `content/${encodeURIComponent(answerId(question))}`, central.admin);
    assert.equal(answer.status, 200);
    const voice = answer.body.answers[0]?.voice;
    assert.ok(voice, 'the answer carries the recording');

    // The next pull brings it to the asker's space; only the asker hears it there.
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    const mine = await (await asker.get(`/communaute/question/${encodeURIComponent(question)}`)).text();
    const src = /<audio[^>]*src="([^"]+)"/g;
    const sources = [...mine.matchAll(src)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    assert.ok(sources.length >= 1, 'the question page has the spoken answer');
    const heard = await asker.get(sources[sources.length - 1]!);
    assert.equal(heard.status, 200);
    assert.match(heard.headers.get('content-type') ?? '', /^audio\/(webm|ogg)/);
    assert.ok((await heard.arrayBuffer()).byteLength > 1000);
  });
});
