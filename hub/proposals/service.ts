import {
  AppError,
  asSubmission,
  BENEFICIARIES,
  DEFAULT_PROPOSAL_THRESHOLD,
  isSafeText,
  paperSupportId,
  parseWith,
  POST_LANGUAGES,
  PROPOSAL_COST_MAX,
  PROPOSAL_DECISIONS,
  PROPOSAL_TEXT_MAX,
  PROPOSAL_THEMES,
  publishedProposalId,
  SheetRef,
  submissionId,
  submissionSchemas,
  supportId,
  VOICE_MAX_BYTES,
  type Member,
  type Plan,
  type PlanProgress,
  type ProgressUpdate,
  type Proposal,
  type ProposalStatus,
  type PublishedProposal,
  type SubmissionOf,
  type Verdict,
} from '../../content/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { bulkPut, docsOf, loadOnce, type Database, type Databases, withAttachments } from '../storage/index.js';
import { codeKey, SupportCounts } from './support-counts.js';
import { sniffEvidence, sniffVoice, VOICE_EXT } from '../submissions/index.js';

/** What a member typed in the proposal form (strings as sent), and the recording's bytes. */
export interface ProposalInput {
  title?: string;
  text?: string;
  lang?: string;
  commune?: string;
  theme?: string;
  beneficiaries?: string[];
  cost?: string;
  voice?: Uint8Array;
}

/**
 * A refused proposal: for each field in trouble, a short reason code (the portal turns it into
 * a sentence in the visitor's language beside the field). Nothing was stored.
 */
export class ProposalRefused extends AppError {
  constructor(readonly fields: Record<string, string>) {
    super(
      422,
      'invalid-proposal',
      `the proposal was not stored: ${Object.entries(fields)
        .map(([f, r]) => `${f}: ${r}`)
        .join('; ')}`
    );
  }
}

/** A proposal as this hub shows it: its own submission or central's copy, with the supports counted once. */
export interface ProposalView {
  id: string;
  title: string;
  text?: string;
  lang: string;
  commune: string;
  theme: string;
  beneficiaries: string[];
  cost: number;
  author: { hub: string; code: string; name: string };
  createdAt: string;
  hasVoice: boolean;
  /** Central's recording (sha256), once published. */
  voice?: string;
  /** Written on this hub. */
  local: boolean;
  /** Central published it (every space sees it). */
  published: boolean;
  status: ProposalStatus;
  threshold: number;
  /** When central saw it reach its threshold (or now, when this hub's fresher count did). */
  studyAt?: string;
  supports: { members: number; paper: number; total: number };
  answer?: { decision: string; reason: string; by: string; at: string; pending?: boolean };
}

/**
 * Citizen proposals on this hub: members' proposals and supports, the facilitator's paper
 * sheets and the officials' answers — each a small submission written here and pushed — merged
 * with central's published proposals (from every space, with the other spaces' counts).
 * A support has a fixed id (proposal + member), so it is stored and counted once.
 */
export class ProposalService {
  private unwatch: (() => void) | undefined;
  private readonly local = new Map<string, Proposal>();
  private readonly published = new Map<string, PublishedProposal>();
  private readonly supporters: SupportCounts;
  private readonly paper = new Map<string, Map<string, number>>();
  private readonly verdicts = new Map<string, Verdict>();
  /** Progress updates posted here by officials, shown on the plan until central's copy carries them. */
  private readonly progress = new Map<string, PlanProgress>();
  private gen = 0;

  constructor(
    private readonly dbs: Databases,
    private readonly catalog: Catalog,
    private readonly config: Config,
    private readonly log?: Logger
  ) {
    this.supporters = new SupportCounts(dbs.submissions, config.hubId, log);
  }

  /** Changes whenever a proposal, a support, a sheet or an answer is added here or arrives. */
  get generation(): number {
    return this.gen;
  }

  private get db(): Database {
    return this.dbs.submissions;
  }

  private get hubId(): string {
    return this.config.hubId;
  }

  /** Reads this hub's proposals, supports, sheets and answers once, then follows central's changes. */
  readonly ready = loadOnce(() => this.load());

  /** Stops watching and writes the support counts' snapshot (for a quick next start). */
  async close(): Promise<void> {
    this.unwatch?.();
    this.supporters.close();
    if (this.ready.started) await this.supporters.save();
  }

  private async load(): Promise<void> {
    this.unwatch = this.catalog.onChange((doc) => {
      if (!('_deleted' in doc) && doc.type === 'proposal') {
        this.published.set(doc.source, doc);
        this.gen += 1;
        this.log?.debug({ proposal: doc.source, status: doc.status }, 'proposal from central');
      }
    });
    for (const p of await this.catalog.all('proposal')) this.published.set(p.source, p);
    for await (const doc of this.pages(`${this.hubId}:proposal:`, 'proposal')) this.local.set(doc._id, doc);
    await this.supporters.load();
    this.gen += 1;
    for await (const doc of this.pages(`${this.hubId}:papersupport:`, 'papersupport')) this.addPaper(doc.proposal, doc.sheet, doc.count);
    for await (const doc of this.pages(`${this.hubId}:verdict:`, 'verdict')) this.addVerdict(doc);
    for await (const doc of this.pages(`${this.hubId}:progress:`, 'progress')) this.progress.set(doc._id, doc);
  }

  private pages<K extends 'proposal' | 'papersupport' | 'verdict' | 'progress'>(prefix: string, type: K): AsyncGenerator<SubmissionOf<K>> {
    return docsOf(this.db, prefix, asSubmission(type));
  }

  private addPaper(proposal: string, sheet: string, count: number): void {
    let m = this.paper.get(proposal);
    if (!m) this.paper.set(proposal, (m = new Map<string, number>()));
    m.set(sheet, count);
    this.gen += 1;
  }

  private addVerdict(v: Verdict): void {
    const known = this.verdicts.get(v.proposal);
    if (!known || known.createdAt <= v.createdAt) this.verdicts.set(v.proposal, v);
    this.gen += 1;
  }

  // —— reading ——

  /** The threshold of a commune (its `proposalThreshold`, or the default). */
  async thresholdOf(commune: string): Promise<number> {
    const c = await this.catalog.maybe(`commune:${commune}`).catch(() => null);
    return c?.type === 'commune' && c.proposalThreshold ? c.proposalThreshold : DEFAULT_PROPOSAL_THRESHOLD;
  }

  /** The communes people may propose for: those of the content, and the hub's own. */
  async communes(): Promise<{ id: string; name: string }[]> {
    const all = (await this.catalog.all('commune'))
      .filter((c) => c.kind !== 'region' && c.kind !== 'cercle')
      .map((c) => ({ id: c._id.slice('commune:'.length), name: c.name }));
    if (!all.some((c) => c.id === this.config.commune)) all.unshift({ id: this.config.commune, name: this.config.commune });
    return all;
  }

  private async view(id: string): Promise<ProposalView | null> {
    const pub = this.published.get(id);
    const mine = this.local.get(id);
    const src = pub ?? mine;
    if (!src) return null;
    const self = this.hubId;
    const sum = (r: Record<string, number> | undefined) => Object.entries(r ?? {}).reduce((n, [hub, c]) => (hub === self ? n : n + c), 0);
    // Central's counts of the other spaces, and this hub's own (fresher than what central saw).
    const members = sum(pub?.supports.byHub) + this.supporters.count(id);
    const paper = sum(pub?.supports.paperByHub) + [...(this.paper.get(id)?.values() ?? [])].reduce((a, b) => a + b, 0);
    const threshold = pub?.threshold ?? (await this.thresholdOf(src.commune));
    const total = members + paper;
    const verdict = this.verdicts.get(id);
    const answer =
      pub?.answer && (!verdict || verdict.createdAt <= pub.answer.at)
        ? pub.answer
        : verdict
          ? { decision: verdict.decision, reason: verdict.reason, by: verdict.by, at: verdict.createdAt, pending: true }
          : undefined;
    const status: ProposalStatus = (answer?.decision as ProposalStatus | undefined) ?? (pub?.status === 'etude' || total >= threshold ? 'etude' : 'ouverte');
    return {
      id,
      title: src.title,
      ...(src.text ? { text: src.text } : {}),
      lang: src.lang,
      commune: src.commune,
      theme: src.theme,
      beneficiaries: [...src.beneficiaries],
      cost: src.cost,
      author: src.author,
      createdAt: src.createdAt,
      hasVoice: Boolean(pub?.voice ?? mine?._attachments),
      ...(pub?.voice ? { voice: pub.voice } : {}),
      local: Boolean(mine),
      published: Boolean(pub),
      status,
      threshold,
      ...(pub?.studyAt ? { studyAt: pub.studyAt } : total >= threshold ? { studyAt: new Date().toISOString() } : {}),
      supports: { members, paper, total },
      ...(answer ? { answer } : {}),
    };
  }

  async get(id: string): Promise<ProposalView> {
    await this.ready();
    const v = await this.view(id);
    if (!v) throw new AppError(404, 'proposal-not-found', 'no such proposal on this hub');
    return v;
  }

  /** Every proposal known here, newest first (optionally of one commune or status). */
  async list(filter: { commune?: string; status?: string } = {}): Promise<ProposalView[]> {
    await this.ready();
    const ids = new Set([...this.published.keys(), ...this.local.keys()]);
    const out: ProposalView[] = [];
    for (const id of ids) {
      const v = await this.view(id);
      if (v && (!filter.commune || v.commune === filter.commune) && (!filter.status || v.status === filter.status)) out.push(v);
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Ids newest first, kept until something is added or arrives (the generation changes). */
  private order: { gen: number; ids: string[] } | undefined;
  private newestFirst(): string[] {
    if (this.order?.gen === this.gen) return this.order.ids;
    const created = (id: string) => (this.published.get(id) ?? this.local.get(id))!.createdAt;
    const ids = [...new Set([...this.published.keys(), ...this.local.keys()])].sort((a, b) => created(b).localeCompare(created(a)));
    this.order = { gen: this.gen, ids };
    return ids;
  }

  /**
   * One page of the proposals (optionally of one commune), newest first, and how many there are:
   * only the page's views are computed, so the page costs the same at 50 or 5 000 proposals.
   */
  async page(filter: { commune?: string }, slice: (total: number) => { start: number; end: number }): Promise<{ items: ProposalView[]; total: number }> {
    await this.ready();
    const all = this.newestFirst();
    const ids = filter.commune ? all.filter((id) => (this.published.get(id) ?? this.local.get(id))!.commune === filter.commune) : all;
    const { start, end } = slice(ids.length);
    const items: ProposalView[] = [];
    for (const id of ids.slice(start, end)) {
      const v = await this.view(id);
      if (v) items.push(v);
    }
    return { items, total: ids.length };
  }

  /** Whether this member already supported the proposal (here). */
  hasSupported(id: string, code: string): boolean {
    return this.supporters.has(id, codeKey(code));
  }

  /** The recording of a proposal written here (before central's media copy arrives). */
  async localVoice(id: string): Promise<{ mime: string; data: Buffer } | null> {
    if (!this.local.has(id)) return null;
    const read = await withAttachments(this.db, id);
    return read?.files.values().next().value ?? null;
  }

  /** The plans, newest period first; a plan; the plans an action of which came from a proposal. */
  async plans(): Promise<Plan[]> {
    await this.ready();
    return (await this.catalog.all('plan'))
      .map((p) => this.withLocalProgress(p))
      .sort((a, b) => b.period.start.localeCompare(a.period.start) || a._id.localeCompare(b._id));
  }

  async plan(id: string): Promise<Plan> {
    await this.ready();
    const p = await this.catalog.maybe(id).catch(() => null);
    if (!p || p.type !== 'plan') throw new AppError(404, 'plan-not-found', `no plan ${id.slice(0, 80)} on this hub`);
    return this.withLocalProgress(p);
  }

  /** The plan with the updates posted here that central's copy does not carry yet (marked by their `ref`). */
  private withLocalProgress(p: Plan): Plan {
    const mine = [...this.progress.values()].filter((x) => x.plan === p._id);
    if (!mine.length) return p;
    const copy = structuredClone(p);
    for (const x of mine) {
      const action = copy.priorities.flatMap((r) => r.actions).find((a) => a.id === x.action);
      if (!action || action.progress?.some((u) => u.ref === x._id)) continue;
      (action.progress ??= []).push({ ...x.update, ref: x._id });
    }
    return copy;
  }

  /**
   * An official's progress update on one action of a plan: written here (audited by the
   * console), pushed, and merged into the plan at central, which every space pulls.
   */
  async reportProgress(planId: string, actionId: string, update: ProgressUpdate, by: string, evidence?: Uint8Array): Promise<PlanProgress> {
    const plan = await this.plan(planId);
    if (!plan.priorities.some((r) => r.actions.some((a) => a.id === actionId)))
      throw new AppError(404, 'action-not-found', `the plan has no action "${actionId.slice(0, 80)}"`);
    // The console checked the file (type, size) and said so in French; this is the last guard.
    const kind = evidence ? sniffEvidence(evidence) : null;
    if (evidence && !kind) throw new AppError(422, 'evidence-type', 'the evidence must be a photo (JPEG, PNG, WebP), a PDF or a voice recording');
    const now = new Date();
    const id = submissionId(this.hubId, 'progress', now.getTime());
    const doc = {
      _id: id,
      type: 'progress',
      hubId: this.hubId,
      createdAt: now.toISOString(),
      plan: planId,
      action: actionId,
      update: { ...update, by, ref: id },
      by,
      ...(evidence && kind ? { _attachments: { [`evidence.${kind.ext}`]: { content_type: kind.mime, data: Buffer.from(evidence).toString('base64') } } } : {}),
    };
    const stored = parseWith(submissionSchemas.progress, doc, 'invalid-progress', 422);
    await this.write([doc]);
    const { _attachments: _, ...kept } = stored; // the bytes stay on disk, not in memory
    this.progress.set(id, kept);
    this.gen += 1;
    return kept;
  }

  async plansFor(proposal: string): Promise<Plan[]> {
    const pub = publishedProposalId(proposal);
    return (await this.plans()).filter((p) => p.priorities.some((x) => x.actions.some((a) => a.proposals?.includes(proposal) || a.proposals?.includes(pub))));
  }

  // —— writing ——

  private async write(docs: readonly { _id: string; _rev?: string }[]): Promise<void> {
    const res = await bulkPut(this.db, docs);
    for (const r of res) {
      if ('error' in r && r.error) {
        if (r.status === 409) throw new AppError(409, 'already-done', 'this was already recorded');
        throw new AppError(500, 'not-stored', `the hub could not store it (${r.message ?? 'error'}); send it again`);
      }
    }
  }

  /** The form's fields checked one by one: field → reason code (empty when all is well). */
  async check(input: ProposalInput): Promise<{ fields: Record<string, string>; doc: Partial<Proposal> }> {
    const fields: Record<string, string> = {};
    const title = (input.title ?? '').trim();
    if (title.length < 3) fields.title = title ? 'title-short' : 'title-empty';
    else if (title.length > 120) fields.title = 'title-long';
    else if (!isSafeText(title)) fields.title = 'unsafe';
    const text = (input.text ?? '').trim();
    if (text.length > PROPOSAL_TEXT_MAX) fields.text = 'text-long';
    else if (text && !isSafeText(text, true)) fields.text = 'unsafe';
    const communes = await this.communes();
    if (!input.commune || !communes.some((c) => c.id === input.commune)) fields.commune = 'commune';
    if (!input.theme || !(PROPOSAL_THEMES as readonly string[]).includes(input.theme)) fields.theme = 'theme';
    const beneficiaries = [...new Set(input.beneficiaries ?? [])];
    if (beneficiaries.some((b) => !(BENEFICIARIES as readonly string[]).includes(b))) fields.beneficiaries = 'beneficiaries';
    const rawCost = (input.cost ?? '').replace(/[\s\u00a0\u202f.]/g, '');
    const cost = rawCost === '' ? 0 : Number(rawCost);
    if (!/^-?\d+$/.test(rawCost) && rawCost !== '') fields.cost = 'cost-number';
    else if (cost < 0) fields.cost = 'cost-negative';
    else if (cost > PROPOSAL_COST_MAX) fields.cost = 'cost-large';
    const lang = input.lang && (POST_LANGUAGES as readonly string[]).includes(input.lang) ? input.lang : 'fr';
    let attachments: Record<string, unknown> | undefined;
    if (input.voice && input.voice.length > 0) {
      const mime = input.voice.length > VOICE_MAX_BYTES ? undefined : sniffVoice(input.voice);
      if (input.voice.length > VOICE_MAX_BYTES) fields.voice = 'voice-too-long';
      else if (!mime) fields.voice = 'not-audio';
      else attachments = { [`voice.${VOICE_EXT[mime]}`]: { content_type: mime, data: Buffer.from(input.voice).toString('base64') } };
    }
    if (!text && !attachments && !fields.voice && !fields.text) fields.text = 'empty';
    return {
      fields,
      doc: {
        title,
        ...(text ? { text } : {}),
        lang: lang as Proposal['lang'],
        commune: input.commune ?? '',
        theme: input.theme as Proposal['theme'],
        beneficiaries: beneficiaries as Proposal['beneficiaries'],
        cost,
        ...(attachments ? { _attachments: attachments } : {}),
      },
    };
  }

  /** A member's proposal: checked field by field (ProposalRefused, nothing stored), then on disk. */
  async propose(member: Member, input: ProposalInput, via?: string): Promise<ProposalView> {
    await this.ready();
    const { fields, doc: fieldsDoc } = await this.check(input);
    if (Object.keys(fields).length) throw new ProposalRefused(fields);
    const now = new Date();
    const doc = {
      _id: submissionId(this.hubId, 'proposal', now.getTime()),
      type: 'proposal',
      hubId: this.hubId,
      createdAt: now.toISOString(),
      ...fieldsDoc,
      author: { hub: this.hubId, code: member.code, name: member.displayName },
      sex: member.sex,
      ageBand: member.ageBand,
      ...(via ? { viaFacilitator: via } : {}),
    };
    const stored = parseWith(submissionSchemas.proposal, doc, 'invalid-proposal', 422);
    await this.write([doc]);
    this.local.set(stored._id, stored);
    this.gen += 1;
    return (await this.view(stored._id))!;
  }

  /** A member's support: one per member and proposal (fixed id); a second is 409 "already-supported". */
  async support(member: Member, proposal: string): Promise<ProposalView> {
    const v = await this.get(proposal);
    if (v.answer && !v.answer.pending) throw new AppError(409, 'proposal-closed', 'this proposal was answered: it takes no more supports');
    if (this.hasSupported(proposal, member.code)) throw new AppError(409, 'already-supported', 'you already support this proposal');
    const id = supportId(this.hubId, proposal, member.code);
    const doc = {
      _id: id,
      type: 'support',
      hubId: this.hubId,
      createdAt: new Date().toISOString(),
      proposal,
      member: member.code,
      sex: member.sex,
      ageBand: member.ageBand,
    };
    parseWith(submissionSchemas.support, doc, 'invalid-support', 422);
    await this.supporters.writing(async () => {
      try {
        await this.write([doc]);
      } catch (e) {
        if (e instanceof AppError && e.status === 409) throw new AppError(409, 'already-supported', 'you already support this proposal');
        throw e;
      }
      this.supporters.add(proposal, codeKey(member.code));
      this.gen += 1;
    });
    return (await this.view(proposal))!;
  }

  /** Supports gathered on a signature sheet, entered by the facilitator: one doc per sheet (a sheet typed twice counts once). */
  async paperSupports(proposal: string, sheet: string, count: number, by: string): Promise<ProposalView> {
    await this.get(proposal);
    const ref = SheetRef.safeParse(sheet.trim().toLowerCase());
    if (!ref.success) throw new AppError(422, 'bad-sheet', ref.error.issues[0]!.message);
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw new AppError(422, 'bad-count', 'type the number of signatures on the sheet (1 to 1000)');
    const id = paperSupportId(this.hubId, proposal, ref.data);
    if (this.paper.get(proposal)?.has(ref.data))
      throw new AppError(409, 'sheet-already-entered', `the sheet "${ref.data}" was already entered for this proposal`);
    const doc = { _id: id, type: 'papersupport', hubId: this.hubId, createdAt: new Date().toISOString(), proposal, sheet: ref.data, count, by };
    parseWith(submissionSchemas.papersupport, doc, 'invalid-paper-support', 422);
    await this.write([doc]);
    this.addPaper(proposal, ref.data, count);
    return (await this.view(proposal))!;
  }

  /** An official's public answer, with a reason; central publishes it to every space. */
  async answer(proposal: string, decision: string, reason: string, by: string): Promise<Verdict> {
    await this.get(proposal);
    if (!(PROPOSAL_DECISIONS as readonly string[]).includes(decision))
      throw new AppError(422, 'bad-decision', `the answer is one of ${PROPOSAL_DECISIONS.join(', ')}`);
    if (reason.trim().length < 3) throw new AppError(422, 'reason-required', 'give the reason in a few words: everybody reads it');
    const now = new Date();
    const doc = {
      _id: submissionId(this.hubId, 'verdict', now.getTime()),
      type: 'verdict',
      hubId: this.hubId,
      createdAt: now.toISOString(),
      proposal,
      decision,
      reason: reason.trim(),
      by,
    };
    const v = parseWith(submissionSchemas.verdict, doc, 'invalid-answer', 422);
    await this.write([doc]);
    this.addVerdict(v);
    return v;
  }
}
