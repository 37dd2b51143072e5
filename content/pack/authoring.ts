import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../errors.js';
import { describeIssues, parseContentDoc, parseMediaMeta, type ContentDoc, type MediaMeta } from '../schema/index.js';
import { PackInfo } from './manifest.js';
import { MEDIA_EXTENSIONS, mediaKindOf } from './media-types.js';
import { checkReferences } from './references.js';

/** A pack as authored, turned into validated docs: what `build` signs and archives. */
export interface PackSource {
  dir: string;
  info: PackInfo;
  docs: ContentDoc[];
  media: { meta: MediaMeta; file: string }[];
  /** Media files no doc refers to: left out of the pack, reported so the author can tidy up. */
  unusedMedia: string[];
}

type Raw = Record<string, unknown>;

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function fail(reason: string, details: string): never {
  throw new AppError(422, reason, details);
}

function isPlain(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseYamlText(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    return fail('pack-bad-yaml', `${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Files under the pack, relative, sorted; hidden files and README.md are the author's, not content. */
async function listFiles(dir: string, under = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await fsp.readdir(join(dir, under), { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const rel = under ? `${under}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

/** Splits a Markdown file into its front matter (one doc) and its body. */
function readMarkdownDoc(text: string, file: string): { doc: Raw; body: string } {
  const m = FRONT_MATTER.exec(text.replace(/^\uFEFF/, ''));
  if (!m) fail('pack-no-front-matter', `${file}: a content file starts with YAML front matter between two "---" lines (with at least _id and type)`);
  const doc = parseYamlText(m[1]!, file);
  if (!isPlain(doc)) fail('pack-bad-yaml', `${file}: the front matter must be key: value pairs, like "_id: course:budget"`);
  return {
    doc,
    body: text
      .replace(/^\uFEFF/, '')
      .slice(m[0].length)
      .trim(),
  };
}

/** Where a Markdown body goes: `body.fr` of documents and announcements, a leading text block of a lesson. */
function applyBody(doc: Raw, body: string, file: string): Raw {
  const extra = doc.body;
  if (extra !== undefined && !isPlain(extra)) fail('pack-bad-body', `${file}: body in the front matter must hold other languages, like "body: { bm: … }"`);
  if (body && extra && 'fr' in extra)
    fail('pack-bad-body', `${file}: French text is given twice (body.fr in the front matter and the Markdown body); keep one`);
  const text = body ? { ...extra, fr: body } : extra;
  switch (doc.type) {
    case 'document':
    case 'announcement':
      return text ? { ...doc, body: text } : doc;
    case 'lesson': {
      if (!text) return doc;
      const { body: _dropped, ...rest } = doc;
      const blocks: unknown[] = Array.isArray(doc.blocks) ? doc.blocks : [];
      return { ...rest, blocks: [{ kind: 'text', body: text }, ...blocks] };
    }
    default:
      if (body)
        fail(
          'pack-bad-body',
          `${file}: a ${String(doc.type)} has no Markdown body; put this text in a field of the front matter (only documents, announcements and lessons take a body)`
        );
      return doc;
  }
}

/**
 * Reads a pack directory: pack.yaml, every *.md (front matter + body) and every other *.yaml
 * (a list of docs), outside media/. Replaces `media/…` paths by the file's sha256, adds the
 * pack name and default audience, validates every doc and the references between them.
 * Every error names the file, the doc and the field.
 */
export async function readPackSource(dir: string): Promise<PackSource> {
  const root = resolve(dir);
  const stat = await fsp.stat(root).catch(() => null);
  if (!stat?.isDirectory()) fail('pack-source-missing', `${dir} is not a directory; give the folder that holds pack.yaml`);
  const infoText = await fsp
    .readFile(join(root, 'pack.yaml'), 'utf8')
    .catch(() =>
      fail('pack-source-missing', `${join(dir, 'pack.yaml')} is missing; a pack folder starts with pack.yaml (name, version, title, audience, languages)`)
    );
  const infoResult = PackInfo.safeParse(parseYamlText(infoText, 'pack.yaml'));
  if (!infoResult.success) fail('pack-bad-info', `pack.yaml: ${describeIssues(infoResult.error)}`);
  const info = infoResult.data;

  const files = await listFiles(root);
  const raw: { doc: Raw; file: string }[] = [];
  for (const file of files) {
    if (file.startsWith('media/') || file === 'pack.yaml' || basename(file).toLowerCase() === 'readme.md') continue;
    if (file.endsWith('.md')) {
      const { doc, body } = readMarkdownDoc(await fsp.readFile(join(root, file), 'utf8'), file);
      raw.push({ doc: applyBody(doc, body, file), file });
    } else if (file.endsWith('.yaml') || file.endsWith('.yml')) {
      const list = parseYamlText(await fsp.readFile(join(root, file), 'utf8'), file);
      if (!Array.isArray(list)) fail('pack-bad-yaml', `${file}: a .yaml file of a pack holds a list of docs, each starting with "- _id: …"`);
      list.forEach((doc, i) => {
        if (!isPlain(doc)) fail('pack-bad-yaml', `${file}: item ${i + 1} is not a doc (key: value pairs)`);
        raw.push({ doc, file });
      });
    }
  }

  const fileOf = new Map<string, string>();
  for (const { doc, file } of raw) {
    if (typeof doc._id !== 'string')
      fail('pack-bad-doc', `${file}: a doc has no _id; give each doc one, like "_id: ${typeof doc.type === 'string' ? doc.type : 'course'}:some-slug"`);
    const id = doc._id;
    const seen = fileOf.get(id);
    if (seen) fail('pack-duplicate-id', `${id} is defined twice, in ${seen} and in ${file}; give each doc its own _id`);
    fileOf.set(id, file);
  }
  const where = (id: string) => `${fileOf.get(id) ?? '?'} (${id})`;

  const mediaDir = join(root, 'media');
  const media = new Map<string, { meta: MediaMeta; file: string }>();
  const hashOfPath = new Map<string, string>();
  const usedFiles = new Set<string>();

  /** Replaces every `media/…` string by the file's sha256, recording the file. */
  const replaceMedia = async (value: unknown, id: string): Promise<unknown> => {
    if (typeof value === 'string') {
      if (!value.startsWith('media/')) return value;
      const abs = resolve(root, value);
      if (!abs.startsWith(mediaDir + sep)) fail('pack-bad-media-path', `${where(id)}: ${value} leaves the media/ folder; name a file under media/`);
      let sha = hashOfPath.get(abs);
      if (!sha) {
        const bytes = await fsp
          .readFile(abs)
          .catch(() => fail('pack-media-missing', `${where(id)}: ${value} names no file; add it under media/ or fix the path`));
        const kind =
          mediaKindOf(abs) ?? fail('pack-media-type', `${where(id)}: ${value} is not a media type the hub serves (use one of ${MEDIA_EXTENSIONS.join(' ')})`);
        sha = createHash('sha256').update(bytes).digest('hex');
        hashOfPath.set(abs, sha);
        if (!media.has(sha)) {
          const meta = parseMediaMeta(
            {
              _id: `media:${sha}`,
              type: 'media',
              sha256: sha,
              size: bytes.length,
              mime: kind.mime,
              filename: basename(abs),
              priority: kind.priority,
              audience: info.audience,
              pack: info.name,
            },
            `${where(id)}: ${value}`
          );
          media.set(sha, { meta, file: abs });
        }
      }
      usedFiles.add(relative(root, abs));
      return sha;
    }
    if (Array.isArray(value)) return Promise.all(value.map((v) => replaceMedia(v, id)));
    if (isPlain(value)) {
      const out: Raw = {};
      for (const [k, v] of Object.entries(value)) out[k] = await replaceMedia(v, id);
      return out;
    }
    return value;
  };

  const docs: ContentDoc[] = [];
  for (const { doc } of raw) {
    const id = doc._id as string;
    const withMedia = (await replaceMedia(doc, id)) as Raw;
    const full = { ...withMedia, pack: info.name, audience: withMedia.audience ?? info.audience };
    docs.push(parseContentDoc(full, where(id)));
  }
  checkReferences(docs, new Set(media.keys()), where);

  const unusedMedia = files.filter((f) => f.startsWith('media/') && !usedFiles.has(f));
  return { dir: root, info, docs, media: [...media.values()], unusedMedia };
}
