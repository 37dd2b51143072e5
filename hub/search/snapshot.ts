import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import * as zlib from 'node:zlib';
import type { PostingsState } from './postings.js';
import { startsOf } from './vocabulary.js';

/**
 * The search index kept on disk, so a start answers searches at once instead of rebuilding
 * for seconds. The file names the content db's update sequence it was built at; the hub
 * replays the changes since then. Written to a temporary file, fsync'd and renamed, so a
 * power cut mid-write leaves the previous snapshot whole.
 *
 * Layout: "ESPX", a format number (u32 BE), the CRC-32 of the body (u32 BE, then 28 zero
 * bytes), then the body: a u32 (the byte order of the machine that wrote it, as the arrays)
 * giving the length of a JSON header (sequence, counts, type names, free numbers), then the
 * arrays as they are in memory, each at a multiple of 4 bytes: where each word starts in the
 * words' text (u32, in UTF-16 units, words + 1), word offsets in the postings (u32, words + 1),
 * postings (i32), title and text lengths (i32, per doc number), where each id starts in the
 * ids' text (u32, in UTF-16 units, doc numbers + 1), meta offsets (u32, in bytes, doc numbers
 * + 1), type numbers (u16, per doc number, 0xffff for a removed doc); then as UTF-8 the words
 * (sorted, one after the other), the ids (one after the other, none for a removed doc) and the
 * metas. Reading it back is reading the file: one string for all the words (vocabulary.ts),
 * the arrays views on its bytes, which the index keeps until its first change (postings.ts);
 * the ids become one string when one is first asked for (a search showing its doc, or that
 * first change), a meta a string when a search shows its doc. Format 2
 * (node:v8's serialisation of a radix tree of Maps) made tens of thousands of objects and most
 * of a start-up's garbage collections; format 3 a string per word, the ids in the JSON header
 * and a loop over the docs. The format number moves whenever what is indexed (extract.ts,
 * french.ts) or the layout changes: an older file is then rebuilt, not misread. So is one
 * written on a machine of the other byte order.
 */
export const SNAPSHOT_FORMAT = 4;
const MAGIC = Buffer.from('ESPX');
const HEADER = MAGIC.length + 4 + 32;
const ENDIAN = endianness();

export interface Snapshot {
  /** The content db's update sequence the index holds everything up to. */
  seq: number | string;
  docs: number;
  postings: PostingsState;
}

/** What the JSON header holds: the small parts, and the counts the arrays' sizes follow from. */
interface Head {
  endianness: 'BE' | 'LE';
  seq: number | string;
  docs: number;
  /** Doc numbers given out (removed docs included): the length of the per-doc arrays. */
  numbers: number;
  typeNames: string[];
  free: number[];
  removed: number;
  titleWords: number;
  textWords: number;
  words: number;
  postings: number;
  wordBytes: number;
  idBytes: number;
  metaBytes: number;
}

export type SnapshotRead = { kind: 'ok'; snapshot: Snapshot } | { kind: 'missing' } | { kind: 'unusable'; why: string };

export async function readSnapshot(file: string): Promise<SnapshotRead> {
  let bytes: Buffer;
  let crc: number;
  try {
    ({ bytes, crc } = readWhole(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  if (bytes.length < HEADER || !bytes.subarray(0, 4).equals(MAGIC)) return { kind: 'unusable', why: 'not a search snapshot' };
  const format = bytes.readUInt32BE(4);
  if (format !== SNAPSHOT_FORMAT) return { kind: 'unusable', why: `format ${format}, this hub reads ${SNAPSHOT_FORMAT}` };
  if (crc !== bytes.readUInt32BE(8)) return { kind: 'unusable', why: 'checksum mismatch (torn or damaged file)' };
  const body = bytes.subarray(HEADER);
  try {
    return decode(body);
  } catch (e) {
    return { kind: 'unusable', why: `undecodable: ${(e as Error).message}` };
  }
}

/** Read this much at a time, and checked while still in the CPU's cache. */
const CHUNK = 64 * 1024;

/**
 * The whole file, into a buffer of its own (at offset 0, so the arrays' views are aligned),
 * and the CRC-32 of its body, computed chunk by chunk as it is read (cheaper than over the
 * whole file once read). Synchronous: at start-up the hub has nothing to do before the index
 * is ready (searches wait for it), and fs.promises.readFile's reads through the thread pool
 * cost more CPU than the read itself.
 */
function readWhole(file: string): { bytes: Buffer; crc: number } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.allocUnsafeSlow(size);
    let crc = 0;
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, Math.min(CHUNK, size - at), at);
      if (n === 0) break;
      if (at + n > HEADER) crc = crc32(bytes.subarray(Math.max(at, HEADER), at + n), crc);
      at += n;
    }
    return { bytes: at === size ? bytes : bytes.subarray(0, at), crc };
  } finally {
    closeSync(fd);
  }
}

function decode(body: Buffer): SnapshotRead {
  const headLength = body.readUInt32LE(0);
  if (4 + headLength > body.length) throw new Error('shorter than its header says');
  const head = JSON.parse(body.toString('utf8', 4, 4 + headLength)) as Head;
  if (head.endianness !== ENDIAN) return { kind: 'unusable', why: `written on a ${head.endianness} machine, this one is ${ENDIAN}` };
  const docs = head.numbers;
  let at = align(4 + headLength);
  const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, length: number, size: number): T => {
    if (!Number.isSafeInteger(length) || length < 0 || at + length * size > body.length) throw new Error('shorter than its header says');
    const view = make(body.buffer, body.byteOffset + at, length);
    at = align(at + length * size);
    return view;
  };
  const wordStarts = take((b, o, l) => new Uint32Array(b, o, l), head.words + 1, 4);
  const offsets = take((b, o, l) => new Uint32Array(b, o, l), head.words + 1, 4);
  const postings = take((b, o, l) => new Int32Array(b, o, l), head.postings, 4);
  const titleLength = take((b, o, l) => new Int32Array(b, o, l), docs, 4);
  const textLength = take((b, o, l) => new Int32Array(b, o, l), docs, 4);
  const idStarts = take((b, o, l) => new Uint32Array(b, o, l), docs + 1, 4);
  const metaOffsets = take((b, o, l) => new Uint32Array(b, o, l), docs + 1, 4);
  const types = take((b, o, l) => new Uint16Array(b, o, l), docs, 2);
  const wordsAt = at;
  const idsAt = wordsAt + head.wordBytes;
  const metasAt = idsAt + head.idBytes;
  if (metasAt + head.metaBytes !== body.length) throw new Error('not the length its header says');
  if (metaOffsets[docs] !== head.metaBytes) throw new Error('metas do not match');
  const words = body.toString('utf8', wordsAt, idsAt);
  if (wordStarts[head.words] !== words.length || offsets[head.words] !== head.postings) throw new Error('words and postings do not match');
  // The ids are decoded at once when one is first asked for (a search showing its doc, or the
  // index's first change, which maps them all): one string, each id a slice of it.
  let idText: string | undefined;
  const ids = {
    length: docs,
    at: (doc: number) => (doc < docs ? (idText ??= body.toString('utf8', idsAt, metasAt)).slice(idStarts[doc], idStarts[doc + 1]) : ''),
  };
  const metas = {
    length: docs,
    at: (doc: number) => (doc < docs ? body.toString('utf8', metasAt + metaOffsets[doc]!, metasAt + metaOffsets[doc + 1]!) : ''),
  };
  const { seq, removed, titleWords, textWords, free, typeNames } = head;
  return {
    kind: 'ok',
    snapshot: {
      seq,
      docs: head.docs,
      postings: {
        words,
        wordStarts,
        offsets,
        postings,
        ids,
        types,
        typeNames,
        metas,
        titleLength,
        textLength,
        free,
        removed,
        titleWords,
        textWords,
      },
    },
  };
}

function encode(snapshot: Snapshot): Buffer[] {
  const state = snapshot.postings;
  const docs = state.types.length;
  const words = Buffer.from(state.words);
  const idList = Array.from({ length: docs }, (_, doc) => state.ids.at(doc));
  const ids = Buffer.from(idList.join(''));
  const utf8 = (strings: { at(doc: number): string }) => {
    const parts: Buffer[] = [];
    const ends = new Uint32Array(docs + 1);
    let bytes = 0;
    for (let doc = 0; doc < docs; doc += 1) {
      const part = Buffer.from(strings.at(doc));
      parts.push(part);
      bytes += part.length;
      ends[doc + 1] = bytes;
    }
    return { parts, ends, bytes };
  };
  const metas = utf8(state.metas);
  const head: Head = {
    endianness: ENDIAN,
    seq: snapshot.seq,
    docs: snapshot.docs,
    numbers: docs,
    typeNames: state.typeNames,
    free: state.free,
    removed: state.removed,
    titleWords: state.titleWords,
    textWords: state.textWords,
    words: state.wordStarts.length - 1,
    postings: state.postings.length,
    wordBytes: words.length,
    idBytes: ids.length,
    metaBytes: metas.bytes,
  };
  const json = Buffer.from(JSON.stringify(head));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  const parts: Buffer[] = [length, json];
  let size = 4 + json.length;
  const push = (part: Buffer) => {
    const pad = align(size) - size;
    if (pad > 0) parts.push(Buffer.alloc(pad));
    parts.push(part);
    size += pad + part.length;
  };
  const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  push(bytesOf(state.wordStarts));
  push(bytesOf(state.offsets));
  push(bytesOf(state.postings));
  push(bytesOf(state.titleLength));
  push(bytesOf(state.textLength));
  push(bytesOf(startsOf(idList)));
  push(bytesOf(metas.ends));
  push(bytesOf(state.types));
  push(words);
  parts.push(ids, ...metas.parts);
  return parts;
}

function align(n: number): number {
  return (n + 3) & ~3;
}

/**
 * zlib's CRC-32 (Node ≥ 20.15, with the CPU's CRC instructions), else the same in JS (crc32Js);
 * `value` is the CRC-32 of the bytes before these.
 */
const zlibCrc32 = (zlib as Partial<typeof zlib>).crc32;
export const crc32: (data: Uint8Array, value?: number) => number = zlibCrc32 ? (data, value = 0) => zlibCrc32(data, value) : crc32Js;

let crcTable: Int32Array | undefined;

/** CRC-32 (IEEE, as zlib's) in JS, for a Node without zlib.crc32; `value` is that of the bytes before. */
export function crc32Js(data: Uint8Array, value = 0): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const table = crcTable;
  let c = ~value;
  for (let i = 0; i < data.length; i += 1) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

export async function writeSnapshot(file: string, snapshot: Snapshot): Promise<number> {
  const body = Buffer.concat(encode(snapshot));
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(SNAPSHOT_FORMAT, 4);
  header.writeUInt32BE(crc32(body), 8);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writev([header, body]);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  // The rename is durable only once the directory is.
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return header.length + body.length;
}
