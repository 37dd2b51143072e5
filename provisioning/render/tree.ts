import { createTwoFilesPatch } from 'diff';
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { RenderedFile } from './types.js';
import { isNotFound } from '../../content/index.js';

export type ChangeKind = 'new' | 'changed' | 'mode' | 'same';

export interface PlannedFile {
  file: RenderedFile;
  kind: ChangeKind;
  /** What the file will hold: the rendered text, or an edit of what is there. */
  content: string;
  /** What is there now (null when the file does not exist). */
  current: string | null;
  currentMode: number | null;
}

async function readCurrent(path: string): Promise<{ text: string; mode: number } | null> {
  try {
    const [text, st] = await Promise.all([fsp.readFile(path, 'utf8'), fsp.stat(path)]);
    return { text, mode: st.mode & 0o7777 };
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** Compares the rendered files with what is under `root` (`/` on the Pi). */
export async function planTree(root: string, files: RenderedFile[]): Promise<PlannedFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const cur = await readCurrent(join(root, file.path));
      const content = file.edit ? file.edit(cur?.text ?? null) : file.content;
      // An edited file keeps its mode: it is the system's file.
      const mode = file.edit && cur ? cur.mode : file.mode;
      let kind: ChangeKind = 'same';
      if (!cur) kind = 'new';
      else if (cur.text !== content) kind = 'changed';
      else if (cur.mode !== mode) kind = 'mode';
      return { file: { ...file, mode }, kind, content, current: cur?.text ?? null, currentMode: cur?.mode ?? null };
    })
  );
}

/** A unified diff of the planned changes; secrets (mode 0600 files) are never printed. */
export function diffOf(plan: PlannedFile[]): string {
  return plan
    .filter((p) => p.kind !== 'same')
    .map((p) => {
      const path = p.file.path;
      if (p.kind === 'mode') return `mode ${path}: ${p.currentMode?.toString(8)} → ${p.file.mode.toString(8)}\n`;
      if ((p.file.mode & 0o077) === 0) return `${p.kind === 'new' ? 'new' : 'changed'} ${path} (secret: content not shown)\n`;
      return createTwoFilesPatch(p.current === null ? '/dev/null' : `a${path}`, `b${path}`, p.current ?? '', p.content, undefined, undefined, { context: 3 });
    })
    .join('');
}

/**
 * Writes one file whole or not at all: a temporary file in the same directory, fsync, rename,
 * then fsync of the directory so the rename survives a power cut.
 */
export async function writeAtomic(path: string, content: string | Uint8Array, mode: number): Promise<void> {
  const dir = dirname(path);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.espace-tmp`);
  const fh = await fsp.open(tmp, 'wx', mode);
  try {
    await fh.writeFile(content);
    await fh.chmod(mode); // the umask may have narrowed the mode given to open
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  const d = await fsp.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** Writes the planned changes under `root`; returns the files written. */
export async function writeTree(root: string, plan: PlannedFile[]): Promise<PlannedFile[]> {
  const todo = plan.filter((p) => p.kind !== 'same');
  for (const p of todo) await writeAtomic(join(root, p.file.path), p.content, p.file.mode);
  return todo;
}
