import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { Translation } from '../schema/index.js';

/**
 * Writes accepted studio translations back into the files they came from, so the authoring
 * files and central stay one source: a content item's text into the pack's YAML (a list file
 * or a Markdown file's front matter) as the language's key beside `fr`, its recording into
 * `media/audio/` with its reference (the builder turns it into the file's sha256); an interface
 * message into the catalog `<locales>/<lang>.json` and its recording into `<voices>/<lang>/<key>.opus`.
 * Comments and layout of the YAML are kept (the `yaml` library's document model).
 */
export interface ExportPlan {
  packDir: string;
  localesDir: string;
  voicesDir: string;
  /** The bytes of a published recording, by sha256. */
  media(sha256: string): Promise<Buffer>;
}

export interface ExportReport {
  texts: number;
  recordings: number;
  files: string[];
  /** Items that could not be placed (their doc is not in this pack, or the text is not in its front matter). */
  skipped: { id: string; target: string; field: string; why: string }[];
}

/** One YAML (a list file, or a Markdown file's front matter) and whether it was changed. */
interface YamlFile {
  file: string;
  doc: Document;
  /** The Markdown body after the front matter (kept as it is). */
  body?: string;
  changed: boolean;
}

/** Where a content doc is: its file, and its place in a list file. */
interface Place {
  yaml: YamlFile;
  index?: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'media' ? [] : walk(p);
    return /\.(ya?ml|md)$/.test(name) ? [p] : [];
  });
}

/** Every content doc of the pack by id, with the YAML it lives in. */
function places(packDir: string, files: YamlFile[]): Map<string, Place> {
  const byId = new Map<string, Place>();
  for (const file of walk(packDir)) {
    const text = readFileSync(file, 'utf8');
    let yamlText = text;
    let body: string | undefined;
    if (file.endsWith('.md')) {
      const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
      if (!m) continue;
      yamlText = m[1]!;
      body = m[2]!;
    }
    const yaml: YamlFile = { file, doc: parseDocument(yamlText), body, changed: false };
    files.push(yaml);
    const contents = yaml.doc.contents;
    if (isSeq(contents)) {
      contents.items.forEach((item, index) => {
        const id = isMap(item) ? item.get('_id') : undefined;
        if (typeof id === 'string') byId.set(id, { yaml, index });
      });
    } else if (isMap(contents)) {
      const id = contents.get('_id');
      if (typeof id === 'string') byId.set(id, { yaml });
    }
  }
  return byId;
}

function pathOf(p: Place, field: string): (string | number)[] {
  return [...(p.index !== undefined ? [p.index] : []), ...field.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x))];
}

function audioPathOf(field: string): string {
  const parts = field.split('.');
  return parts.length === 1 ? `${parts[0]}Audio` : [...parts.slice(0, -1), 'audio'].join('.');
}

export async function exportTranslations(translations: readonly Translation[], plan: ExportPlan): Promise<ExportReport> {
  const files: YamlFile[] = [];
  const byId = places(plan.packDir, files);
  const report: ExportReport = { texts: 0, recordings: 0, files: [], skipped: [] };
  const catalogs = new Map<string, Record<string, string>>();
  const written = new Set<string>();

  for (const t of translations) {
    if (t.target.startsWith('message:')) {
      const key = t.target.slice(8);
      if (t.text !== undefined && t.lang !== 'fr') {
        const file = join(plan.localesDir, `${t.lang}.json`);
        if (!catalogs.has(file)) catalogs.set(file, JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
        catalogs.get(file)![key] = t.text;
        report.texts += 1;
      }
      if (t.audio) {
        const dir = join(plan.voicesDir, t.lang);
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `${key}.opus`);
        writeFileSync(file, await plan.media(t.audio));
        written.add(file);
        report.recordings += 1;
      }
      continue;
    }
    const place = byId.get(t.target);
    if (!place) {
      report.skipped.push({ id: t._id, target: t.target, field: t.field, why: 'not in this pack' });
      continue;
    }
    const s = place.yaml;
    const path = pathOf(place, t.field);
    const text = s.doc.getIn(path);
    if (!isMap(text) || text.get('fr') === undefined) {
      report.skipped.push({
        id: t._id,
        target: t.target,
        field: t.field,
        why: `${relative(plan.packDir, s.file)} has no { fr: … } text at ${t.field} (a Markdown body?): add it by hand`,
      });
      continue;
    }
    if (t.text !== undefined && t.lang !== 'fr') {
      text.set(t.lang, t.text);
      report.texts += 1;
      s.changed = true;
    }
    if (t.audio) {
      const slug = `${t.target.replace(/^[a-z]+:/, '')}-${t.field.replace(/\./g, '-')}-${t.lang}`.slice(0, 120);
      const rel = `media/audio/studio/${slug}.opus`;
      mkdirSync(join(plan.packDir, 'media/audio/studio'), { recursive: true });
      writeFileSync(join(plan.packDir, rel), await plan.media(t.audio));
      written.add(join(plan.packDir, rel));
      const audioPath = pathOf(place, audioPathOf(t.field));
      const audio = s.doc.getIn(audioPath);
      if (isMap(audio)) audio.set(t.lang, rel);
      else s.doc.setIn(audioPath, s.doc.createNode({ [t.lang]: rel }, { flow: true }));
      report.recordings += 1;
      s.changed = true;
    }
  }

  for (const s of files) {
    if (!s.changed) continue;
    const yaml = s.doc.toString({ lineWidth: 0 });
    writeFileSync(s.file, s.body !== undefined ? `---\n${yaml.trimEnd()}\n---\n${s.body}` : yaml);
    written.add(s.file);
  }
  for (const [file, cat] of catalogs) {
    writeFileSync(file, `${JSON.stringify(cat, null, 2)}\n`);
    written.add(file);
  }
  report.files = [...written].sort();
  return report;
}
