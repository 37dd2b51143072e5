import { AppError, asSubmission, contentOf, itemsOf, TargetId, FieldPath, valueAt, verdictId, type Language } from '../../content/index.js';
import { rowsOf } from '../storage/index.js';
import type { HubDeps } from '../deps.js';
import { Messages, portalAssets, type StaticAssets } from '../portal/index.js';
import { coverageOf, sectionViews, StudioItems, type CoverageFigures, type StudioItem } from './items.js';

/** A contribution sent from this hub that no accepted translation answers yet. */
export interface Pending {
  id: string;
  createdAt: string;
  text?: string;
  seconds?: number;
  contributor: string;
  /** Bamako's refusal or request for another take, once it reached this hub. */
  verdict?: { decision: 'rejected' | 'retake'; reason: string; at: string };
}

/**
 * The studio of one hub: the queue of what lacks a text or a person's voice per language,
 * coverage figures, and what this hub already sent for review. Built once, in startHub
 * (the console and the API share it).
 */
export class Studio {
  readonly messages: Messages;
  readonly assets: StaticAssets;
  readonly items: StudioItems;
  private coverageCache: { key: string; figures: CoverageFigures[] } | undefined;

  constructor(readonly deps: Pick<HubDeps, 'config' | 'dbs' | 'catalog'>) {
    this.messages = new Messages();
    this.messages.useOverrides(deps.catalog.translations);
    this.assets = portalAssets();
    this.items = new StudioItems(deps.catalog, this.messages, this.assets);
  }

  async queue(): Promise<StudioItem[]> {
    return this.items.all(await sectionViews(this.deps.dbs.submissions, this.deps.config.hubId));
  }

  /** Coverage per language (interface and content, text and voice), kept until content or translations change. */
  async coverage(): Promise<CoverageFigures[]> {
    await this.deps.catalog.translations.ready();
    const key = `${this.deps.catalog.generation} ${this.deps.catalog.translations.version}`;
    if (this.coverageCache?.key === key) return this.coverageCache.figures;
    // Usage only orders the queue; coverage counts every item once.
    const figures = coverageOf(this.items, await this.items.all(new Map()));
    this.coverageCache = { key, figures };
    return figures;
  }

  /** One item, checked: the target exists on this hub and the field is one of its texts. */
  async item(target: string, field: string): Promise<StudioItem> {
    if (!TargetId.safeParse(target).success || !FieldPath.safeParse(field).success)
      throw new AppError(404, 'item-not-found', "Cet élément n'existe pas sur ce hub.");
    if (target.startsWith('message:')) {
      const key = target.slice(8);
      if (field !== 'text' || !this.messages.frenchKeys().includes(key)) throw new AppError(404, 'item-not-found', "Ce message de l'interface n'existe pas.");
      return (await this.queue()).find((i) => i.target === target)!;
    }
    const doc = await this.deps.catalog.maybe(target);
    const found = doc && itemsOf(doc).find((i) => i.field === field);
    if (!found || !valueAt(doc, field)) throw new AppError(404, 'item-not-found', "Cet élément n'existe pas sur ce hub (contenu retiré ?).");
    return { ...found, section: '', weight: 0 };
  }

  /** What this hub sent for an item and language that no accepted translation answers yet. */
  async pending(target: string, field: string, lang: Language): Promise<Pending[]> {
    const { hubId } = this.deps.config;
    const res = await this.deps.dbs.submissions.allDocs({
      startkey: `${hubId}:contribution:`,
      endkey: `${hubId}:contribution:\ufff0`,
      include_docs: true,
      descending: false,
    });
    const answered = new Set(this.deps.catalog.translations.of(target).flatMap((t) => t.contributions));
    const mine = rowsOf(res.rows, asSubmission('contribution')).filter(
      (c) => c.target === target && c.field === field && c.lang === lang && !answered.has(c._id)
    );
    const verdicts = await this.verdictsOf(mine.map((c) => c._id));
    return mine.map((c) => ({
      id: c._id,
      createdAt: c.createdAt,
      text: c.text,
      seconds: c.seconds,
      contributor: c.contributor,
      ...(verdicts.get(c._id) ? { verdict: verdicts.get(c._id)! } : {}),
    }));
  }

  /** Bamako's decisions on these contributions that reached this hub (refusals and requests for another take). */
  async verdictsOf(ids: readonly string[]): Promise<Map<string, NonNullable<Pending['verdict']>>> {
    if (!ids.length) return new Map();
    const res = await this.deps.dbs.content.allDocs({ keys: ids.map((id) => verdictId(id)), include_docs: true });
    const out = new Map<string, NonNullable<Pending['verdict']>>();
    for (const row of res.rows) {
      const v = 'doc' in row ? contentOf(row.doc, 'verdict') : null;
      if (v) out.set(v.contribution, { decision: v.decision, reason: v.reason, at: v.at });
    }
    return out;
  }

  /** This hub's contributions Bamako sent back (refused, or to record again), newest first, with their item. */
  async sentBack(): Promise<{ id: string; target: string; field: string; lang: Language; verdict: NonNullable<Pending['verdict']> }[]> {
    const { hubId } = this.deps.config;
    const res = await this.deps.dbs.submissions.allDocs({ startkey: `${hubId}:contribution:`, endkey: `${hubId}:contribution:\ufff0`, include_docs: true });
    const mine = rowsOf(res.rows, asSubmission('contribution'));
    const verdicts = await this.verdictsOf(mine.map((c) => c._id));
    return mine
      .filter((c) => verdicts.has(c._id))
      .map((c) => ({ id: c._id, target: c.target, field: c.field, lang: c.lang, verdict: verdicts.get(c._id)! }))
      .sort((a, b) => b.verdict.at.localeCompare(a.verdict.at));
  }
}
