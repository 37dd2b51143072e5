import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { PostingsState } from './postings.js';

/**
 * The search index kept on disk, so a start answers searches at once instead of rebuilding
 * for seconds. The file names the content db's update sequence it was built at; the hub
 * replays the changes since then. Written to a temporary file, fsync'd and renamed, so a
 * power cut mid-write leaves the previous snapshot whole.
 *
 * Layout: "ESPX", a format number (u32), the sha256 of the rest, then the v8-serialised body.
 * The format number moves whenever what is indexed (extract.ts, french.ts) or the layout
 * changes: an older file is then rebuilt, not misread.
 */
export const SNAPSHOT_FORMAT = 2;
const MAGIC = Buffer.from('ESPX');
const HEADER = MAGIC.length + 4 + 32;

export interface Snapshot {
  /** The content db's update sequence the index holds everything up to. */
  seq: number | string;
  docs: number;
  postings: PostingsState;
}

export type SnapshotRead = { kind: 'ok'; snapshot: Snapshot } | { kind: 'missing' } | { kind: 'unusable'; why: string };

export async function readSnapshot(file: string): Promise<SnapshotRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  if (bytes.length < HEADER || !bytes.subarray(0, 4).equals(MAGIC)) return { kind: 'unusable', why: 'not a search snapshot' };
  const format = bytes.readUInt32BE(4);
  if (format !== SNAPSHOT_FORMAT) return { kind: 'unusable', why: `format ${format}, this hub reads ${SNAPSHOT_FORMAT}` };
  const body = bytes.subarray(HEADER);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(8, HEADER)))
    return { kind: 'unusable', why: 'checksum mismatch (torn or damaged file)' };
  try {
    return { kind: 'ok', snapshot: deserialize(body) as Snapshot };
  } catch (e) {
    return { kind: 'unusable', why: `undecodable: ${(e as Error).message}` };
  }
}

export async function writeSnapshot(file: string, snapshot: Snapshot): Promise<number> {
  const body = serialize(snapshot);
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(SNAPSHOT_FORMAT, 4);
  createHash('sha256').update(body).digest().copy(header, 8);
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
