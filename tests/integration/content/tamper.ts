import { createHash, sign, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync, createGunzip, createGzip } from 'node:zlib';
import { extract as tarExtract, pack as tarPack } from 'tar-stream';

/** One archive entry, as a tamperer sees it. */
export interface RawEntry {
  name: string;
  body: Buffer;
  type?: 'file' | 'symlink' | 'directory';
}

export async function readEntries(file: string): Promise<RawEntry[]> {
  const out: RawEntry[] = [];
  const extract = tarExtract();
  const done = pipeline(createReadStream(file), createGunzip(), extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract as unknown as AsyncIterable<AsyncIterable<Buffer> & { header: { name: string } }>) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c);
    out.push({ name: entry.header.name, body: Buffer.concat(chunks) });
  }
  await done;
  return out;
}

/** Writes entries as a pack file would be written (tar, gzip), whatever they hold. */
export async function writeEntries(file: string, entries: RawEntry[]): Promise<void> {
  const pack = tarPack();
  const done = pipeline(pack as unknown as NodeJS.ReadableStream, createGzip(), createWriteStream(file));
  for (const e of entries) {
    await new Promise<void>((res, rej) =>
      e.type === 'symlink'
        ? pack.entry({ name: e.name, type: 'symlink', linkname: '/etc/passwd' }, (err) => (err ? rej(err) : res()))
        : pack.entry({ name: e.name, size: e.body.length }, e.body, (err) => (err ? rej(err) : res()))
    );
  }
  pack.finalize();
  await done;
}

/** Rewrites a pack through `edit`; with `resign`, the manifest is updated for changed docs and signed again (a signed but malicious pack). */
export async function rewritePack(src: string, dst: string, edit: (entries: RawEntry[]) => RawEntry[], resign?: KeyObject): Promise<void> {
  let entries = edit(await readEntries(src));
  if (resign) {
    const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.body.toString()) as {
      entries: { path: string; sha256: string; size: number }[];
    };
    for (const m of manifest.entries) {
      const e = entries.find((x) => x.name === m.path);
      if (e && !m.path.startsWith('media/')) {
        m.sha256 = createHash('sha256').update(e.body).digest('hex');
        m.size = e.body.length;
      }
    }
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    entries = entries.map((e) =>
      e.name === 'manifest.json'
        ? { ...e, body: bytes }
        : e.name === 'manifest.sig'
          ? { ...e, body: Buffer.from(`${sign(null, bytes, resign).toString('base64')}\n`) }
          : e
    );
  }
  await writeEntries(dst, entries);
}

/** Appends `bytes` of zeros inside the gzip stream after the tar: tiny on disk, huge decompressed. */
export function appendZeros(src: string, dst: string, bytes: number): void {
  const tar = gunzipSync(readFileSync(src));
  writeFileSync(dst, gzipSync(Buffer.concat([tar, Buffer.alloc(bytes)]), { level: 9 }));
}

export function truncate(src: string, dst: string, fraction: number): void {
  const bytes = readFileSync(src);
  writeFileSync(dst, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

export function flipByte(src: string, dst: string, offset: number): void {
  const bytes = Buffer.from(readFileSync(src));
  bytes[offset] = bytes[offset]! ^ 0xff;
  writeFileSync(dst, bytes);
}
