import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { processTake } from '../../../hub/studio/index.js';
import { startTestHub, tempDir, type TestHub } from '../../support/index.js';
import { UserStore } from '../../../hub/auth/index.js';
import { attemptLogin, cookieFrom } from '../admin/console.js';

const sox = (out: string, ...effects: string[]) => execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', out, ...effects]);

describe('a studio take: trimmed, levelled, Opus; refused when it is not one', () => {
  let dir: { path: string; remove(): void };
  before(() => {
    dir = tempDir('espace-take-');
  });
  after(() => dir.remove());

  it('trims the silence at both ends, brings the level up and encodes Opus at a speech bitrate', async () => {
    const wav = join(dir.path, 'voice.wav');
    // 1 s of silence, 4 s of a quiet voice-like sound, 1 s of silence.
    sox(wav, 'synth', '4', 'sine', '220', 'sine', '440', 'tremolo', '3', '60', 'vol', '0.05', 'pad', '1', '1');
    const take = await processTake(readFileSync(wav));
    assert.ok(take.inputSeconds > 5.9 && take.inputSeconds < 6.1);
    assert.ok(take.seconds >= 3.8 && take.seconds <= 4.2, `trimmed to ${take.seconds} s`);
    assert.equal(take.opus.subarray(0, 4).toString('latin1'), 'OggS');
    assert.ok(take.opus.subarray(0, 64).includes(Buffer.from('OpusHead')));
    // 16 kbit/s: about 2 KB a second.
    assert.ok(take.opus.length < 4 * 3000, `${take.opus.length} bytes`);
  });

  it('refuses what is not audio, too long, silent throughout, or huge, with a sentence that says what to do', async () => {
    await assert.rejects(
      processTake(Buffer.from('<html>not a sound</html>')),
      (e: { reason: string; details: string }) => e.reason === 'take-not-audio' && /WAV, MP3, OGG ou FLAC/.test(e.details)
    );
    const long = join(dir.path, 'long.wav');
    sox(long, 'synth', '125', 'sine', '300');
    await assert.rejects(
      processTake(readFileSync(long)),
      (e: { reason: string; details: string }) => e.reason === 'take-too-long' && /120 s au plus/.test(e.details)
    );
    const silent = join(dir.path, 'silent.wav');
    sox(silent, 'trim', '0', '5');
    await assert.rejects(
      processTake(readFileSync(silent)),
      (e: { reason: string; details: string }) => e.reason === 'take-silent' && /On n'entend rien/.test(e.details)
    );
    await assert.rejects(
      processTake(Buffer.alloc(25 * 1024 * 1024, 1)),
      (e: { reason: string; status: number }) => e.reason === 'take-too-large' && e.status === 413
    );
    await assert.rejects(processTake(Buffer.alloc(0)), (e: { reason: string }) => e.reason === 'take-empty');
  });
});

describe('the studio in the console: roles, refusals, nothing stored when refused', () => {
  let hub: TestHub;
  let cookie: string;
  let csrf: string;
  before(async () => {
    hub = await startTestHub({ seedDemo: true });
    await new UserStore(hub.dataDir).add('fanta', 'voice', 'voice-password-1');
    const res = await attemptLogin(hub.url, 'fanta', 'voice-password-1');
    assert.equal(res.status, 303);
    cookie = `espace_session=${cookieFrom(res, 'espace_session')}`;
  });
  after(() => hub.stop());

  const count = async () =>
    (await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:contribution:', endkey: 'kayes-demo:contribution:\ufff0' })).rows.length;

  it('a volunteer with the voice role lands in the studio and nowhere else', async () => {
    const home = await fetch(`${hub.url}/admin`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(home.status, 303);
    assert.equal(home.headers.get('location'), '/admin/studio');
    const studio = await fetch(`${hub.url}/admin/studio?lang=snk`, { headers: { cookie } });
    assert.equal(studio.status, 200);
    const html = await studio.text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(html, /<table class="coverage">/);
    assert.doesNotMatch(html, /href="\/admin\/members"/);
    for (const path of ['/admin/members', '/admin/messages', '/admin/indicators']) {
      assert.equal((await fetch(`${hub.url}${path}`, { headers: { cookie }, redirect: 'manual' })).status, 403, path);
    }
  });

  it('refuses a file that is not audio and an item that does not exist, storing nothing', async () => {
    const page = await (await fetch(`${hub.url}/admin/studio/item?target=message:nav.home&field=text&lang=bm`, { headers: { cookie } })).text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const form = new FormData();
    for (const [k, v] of Object.entries({ _csrf: csrf, target: 'message:nav.home', field: 'text', lang: 'bm', consent: 'oui' })) form.set(k, v);
    form.set('file', new Blob([Buffer.from('%PDF-1.4 not a sound')], { type: 'application/pdf' }), 'doc.pdf');
    const res = await fetch(`${hub.url}/admin/studio/voice`, { method: 'POST', headers: { cookie }, body: form, redirect: 'manual' });
    assert.equal(res.status, 415);
    assert.match(await res.text(), /Prise refusée : Ce fichier n&#39;est pas un son/);
    const missing = await fetch(`${hub.url}/admin/studio/item?target=quiz:nulle-part&field=title&lang=bm`, { headers: { cookie } });
    assert.equal(missing.status, 404);
    const text = await fetch(`${hub.url}/admin/studio/text`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, target: 'message:nav.home', field: 'text', lang: 'snk', text: 'Soninké words', consent: '' }),
      redirect: 'manual',
    });
    assert.equal(text.status, 422);
    assert.match(await text.text(), /Cochez l’accord/);
    assert.equal(await count(), 0);
  });

  it('takes a Soninké text with consent, as a contribution pushed like any submission', async () => {
    const res = await fetch(`${hub.url}/admin/studio/text`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        _csrf: csrf,
        target: 'message:nav.home',
        field: 'text',
        lang: 'snk',
        text: 'Texte proposé',
        consent: 'oui',
        credit: 'Fanta',
      }),
      redirect: 'manual',
    });
    assert.equal(res.status, 303);
    assert.equal(await count(), 1);
    const [row] = (
      await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:contribution:', endkey: 'kayes-demo:contribution:\ufff0', include_docs: true })
    ).rows;
    assert.deepEqual(
      (({ target, field, lang, text, contributor, credit, consent }) => ({ target, field, lang, text, contributor, credit, consent }))(
        row!.doc as unknown as Record<string, unknown>
      ),
      { target: 'message:nav.home', field: 'text', lang: 'snk', text: 'Texte proposé', contributor: 'fanta', credit: 'Fanta', consent: true }
    );
    const item = await (await fetch(`${hub.url}/admin/studio/item?target=message:nav.home&field=text&lang=snk`, { headers: { cookie } })).text();
    assert.match(item, /en attente de relecture/);
  });
});
