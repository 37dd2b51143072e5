import { z } from 'zod';
import {
  AppError,
  anySubmissionOf,
  contentOf,
  describeIssues,
  DEFAULT_PROPOSAL_THRESHOLD,
  parseContentDoc,
  publishedProposalId,
  type Commune,
  type Proposal,
  type PublishedProposal,
  type SubmissionOf,
  type Verdict,
} from '../../../content/index.js';
import { evidenceKindOf } from '../../../hub/index.js';
import { fail, getDoc, log, storeVoice, upsert, withVoice, type CentralCall } from './community.js';

/**
 * A proposal's tally in central's moderation db (central writes it alone): the members who
 * supported it wherever they pushed from, the paper sheets, the verdicts seen, when it reached
 * its threshold. Read with a parse, so a field an older tally lacks reads as empty.
 */
const Tally = z.looseObject({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('tally'),
  proposal: z.string(),
  members: z.array(z.string()).default([]),
  paper: z.record(z.string(), z.object({ hub: z.string(), count: z.number() })).default({}),
  verdicts: z.array(z.string()).default([]),
  studyAt: z.string().optional(),
});
type Tally = z.infer<typeof Tally>;

function tallyOf(doc: unknown): Tally {
  const parsed = Tally.safeParse(doc);
  if (!parsed.success) throw new AppError(502, 'central-unreadable', `a tally at central is unreadable: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
const enc = encodeURIComponent;
const CHECKPOINT = '_local/proposals-checkpoint';
const tallyId = (proposal: string) => `tally:${proposal}`;

export interface ProposalReport {
  seen: number;
  /** Proposals published or whose count, state or answer changed. */
  published: number;
  /** Proposals that reached their commune's threshold in this run (each once, ever). */
  studied: number;
  answered: number;
  /** Officials' progress updates merged into their plans. */
  progress: number;
}

interface Pending {
  members: Set<string>;
  paper: Map<string, { hub: string; count: number }>;
  verdicts: Set<string>;
  touched: boolean;
}

/**
 * Reads what the hubs pushed since the last run (central's `community` changes, from a
 * checkpoint of its own) and publishes the citizen proposals for every space: each proposal as a
 * `proposal:` content doc with its supports counted once per member wherever they were pushed
 * from (the support's id names the proposal and the member) plus the paper sheets (one per
 * sheet), "à l'étude" once the count reaches its commune's threshold (logged once), and the
 * latest official's answer with its reason. Safe to run again; run by
 * `espace central community process` with the community's rules, or by a test.
 */
export async function processProposals(call: CentralCall, by = 'règles automatiques'): Promise<ProposalReport> {
  const report: ProposalReport = { seen: 0, published: 0, studied: 0, answered: 0, progress: 0 };
  const cp = await getDoc<{ since: string | number }>(call, 'moderation', CHECKPOINT);
  let since: string | number = cp?.since ?? 0;
  for (;;) {
    const res = await call<{ results: { id: string; doc?: unknown; deleted?: boolean }[]; last_seq: string | number }>(
      `community/_changes?include_docs=true&limit=200&since=${enc(String(since))}`
    );
    if (res.status !== 200) fail(res, 'read what the hubs pushed');
    const pending = new Map<string, Pending>();
    const progress: SubmissionOf<'progress'>[] = [];
    const of = (id: string) => {
      let p = pending.get(id);
      if (!p) pending.set(id, (p = { members: new Set(), paper: new Map(), verdicts: new Set(), touched: false }));
      return p;
    };
    for (const ch of res.body.results) {
      // What the hubs pushed, typed by its schema (central's validate_doc_update checked it).
      const doc = ch.deleted ? null : anySubmissionOf(ch.doc);
      if (!doc) continue;
      switch (doc.type) {
        case 'proposal':
          of(doc._id).touched = true;
          break;
        case 'support':
          of(doc.proposal).members.add(`${doc.hubId}.${doc.member.replace('-', '').toLowerCase()}`);
          break;
        case 'papersupport':
          of(doc.proposal).paper.set(`${doc.hubId}.${doc.sheet}`, { hub: doc.hubId, count: doc.count });
          break;
        case 'verdict':
          of(doc.proposal).verdicts.add(doc._id);
          break;
        case 'progress':
          progress.push(doc);
          break;
        default:
          continue;
      }
      report.seen += 1;
    }
    for (const [proposal, p] of pending) await apply(call, proposal, p, by, report);
    for (const x of progress) await mergeProgress(call, x, report);
    since = res.body.last_seq;
    if (res.body.results.length < 200) break;
  }
  await upsert(call, 'moderation', CHECKPOINT, () => ({ _id: CHECKPOINT, since }), 'save where the proposals stopped');
  return report;
}

/** Adds what came to the proposal's tally, then writes its published doc from the tally. */
async function apply(call: CentralCall, proposal: string, p: Pending, by: string, report: ProposalReport): Promise<void> {
  let tally: Tally | null = null;
  let changed = false;
  let newVerdicts: string[] = [];
  await upsert(
    call,
    'moderation',
    tallyId(proposal),
    (old) => {
      const was = old ? tallyOf(old) : null;
      const members = new Set(was?.members);
      const paper = { ...was?.paper };
      const verdicts = new Set(was?.verdicts);
      const before = members.size + Object.keys(paper).length + verdicts.size;
      for (const m of p.members) members.add(m);
      for (const [k, v] of p.paper) paper[k] = v;
      newVerdicts = [...p.verdicts].filter((v) => !verdicts.has(v));
      for (const v of newVerdicts) verdicts.add(v);
      tally = { ...was, _id: tallyId(proposal), type: 'tally', proposal, members: [...members], paper, verdicts: [...verdicts] };
      changed = !old || before !== members.size + Object.keys(paper).length + verdicts.size;
      return changed ? tally : null;
    },
    'count the supports'
  );
  // Both are set inside the update callback above, which TS's narrowing cannot see.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above
  if (!tally || !(changed || p.touched)) return;
  await publish(call, proposal, tally, newVerdicts, p.touched, by, report);
}

async function thresholdOf(call: CentralCall, commune: string): Promise<number> {
  const c = await getDoc<Commune>(call, 'content', `commune:${commune}`);
  return c?.proposalThreshold ?? DEFAULT_PROPOSAL_THRESHOLD;
}

async function latestVerdict(call: CentralCall, ids: string[]): Promise<Verdict | null> {
  let latest: Verdict | null = null;
  for (const id of ids) {
    const v = await getDoc<Verdict>(call, 'community', id);
    if (v && (!latest || v.createdAt > latest.createdAt)) latest = v;
  }
  return latest;
}

async function publish(
  call: CentralCall,
  proposal: string,
  tally: Tally,
  newVerdicts: string[],
  touched: boolean,
  by: string,
  report: ProposalReport
): Promise<void> {
  const id = publishedProposalId(proposal);
  const existing = await getDoc<PublishedProposal>(call, 'content', id);
  let source: Proposal | null = null;
  let voice = existing?.voice;
  if (!existing || touched) {
    const found = await withVoice<Proposal>(call, proposal);
    if (!found) return; // its supports came first: published when the proposal arrives
    source = found.doc;
    if (found.voice && !voice) voice = await storeVoice(call, found.voice.data, found.voice.mime, `${proposal.replace(/:/g, '-')}-${found.voice.name}`);
  }
  const base = source ?? existing!;
  const threshold = existing?.threshold ?? (await thresholdOf(call, base.commune));
  const { members, paper } = tally;
  const byHub: Record<string, number> = {};
  for (const m of members) {
    const hub = m.slice(0, m.lastIndexOf('.'));
    byHub[hub] = (byHub[hub] ?? 0) + 1;
  }
  const paperByHub: Record<string, number> = {};
  for (const s of Object.values(paper)) paperByHub[s.hub] = (paperByHub[s.hub] ?? 0) + s.count;
  const paperTotal = Object.values(paperByHub).reduce((a, b) => a + b, 0);
  const at = new Date().toISOString();
  let studyAt = tally.studyAt;
  if (!studyAt && members.length + paperTotal >= threshold) {
    studyAt = at;
    await upsert(call, 'moderation', tallyId(proposal), (old) => (old && !old.studyAt ? { ...old, studyAt: at } : null), 'mark the proposal studied');
    await log(call, 'proposal-study', proposal, by, `${members.length + paperTotal} soutiens (seuil ${threshold})`);
    report.studied += 1;
  }
  const latest = newVerdicts.length ? await latestVerdict(call, tally.verdicts) : null;
  // An official may also answer at central's console (straight into the content doc): keep the latest.
  const verdict = latest && !(existing?.answer && existing.answer.at > latest.createdAt) ? latest : null;
  const answer = verdict ? { decision: verdict.decision, reason: verdict.reason, by: verdict.by, at: verdict.createdAt, hub: verdict.hubId } : existing?.answer;
  if (verdict) {
    await log(call, `proposal-${verdict.decision}`, proposal, `${verdict.by} (${verdict.hubId})`, verdict.reason);
    report.answered += 1;
  }
  await upsert(
    call,
    'content',
    id,
    () => {
      const doc = {
        type: 'proposal',
        audience: { all: true },
        source: proposal,
        title: base.title,
        ...(base.text ? { text: base.text } : {}),
        ...(voice ? { voice } : {}),
        lang: base.lang,
        commune: base.commune,
        theme: base.theme,
        beneficiaries: base.beneficiaries,
        cost: base.cost,
        author: base.author,
        createdAt: base.createdAt,
        status: answer?.decision ?? (studyAt ? 'etude' : 'ouverte'),
        threshold,
        supports: { members: members.length, paper: paperTotal, byHub, paperByHub },
        ...(studyAt ? { studyAt } : {}),
        ...(answer ? { answer } : {}),
        updatedAt: at,
      };
      parseContentDoc({ ...doc, _id: id }, 'proposal');
      return doc;
    },
    'publish the proposal'
  );
  report.published += 1;
}

/**
 * Merges an official's progress update (posted at a space's console) into its plan's content
 * doc, once: the update carries the submission's id as `ref`. Logged in the moderation log.
 */
async function mergeProgress(call: CentralCall, x: SubmissionOf<'progress'>, report: ProposalReport): Promise<void> {
  let merged = false;
  let update = x.update;
  if (x._attachments && Object.keys(x._attachments).length) {
    // The evidence travelled as the submission's attachment: filed once as media, as a recording is.
    const found = await withVoice<SubmissionOf<'progress'>>(call, x._id);
    if (found?.voice) {
      const media = await storeVoice(call, found.voice.data, found.voice.mime, `${x._id.replace(/:/g, '-')}-${found.voice.name}`);
      update = { ...update, evidence: [...(update.evidence ?? []), { kind: evidenceKindOf(found.voice.mime), media }] };
    }
  }
  let refused: string | undefined;
  await upsert(
    call,
    'content',
    x.plan,
    (old) => {
      const plan = contentOf(old, 'plan');
      if (!plan) return null; // a plan removed since: nothing to merge into
      const action = plan.priorities.flatMap((r) => r.actions).find((a) => a.id === x.action);
      if (!action || action.progress?.some((u) => u.ref === x._id)) return null;
      const next = structuredClone(plan);
      const into = next.priorities.flatMap((r) => r.actions).find((a) => a.id === x.action)!;
      (into.progress ??= []).push({ ...update, by: x.by, ref: x._id });
      next.updatedAt = new Date().toISOString();
      try {
        parseContentDoc(next, 'plan');
      } catch (e) {
        refused = e instanceof Error ? e.message : String(e);
        return null; // checked at the hub already; one bad update must not stop the others
      }
      merged = true;
      return next;
    },
    'merge the progress into the plan'
  );
  if (refused) await log(call, 'plan-progress-refused', `${x.plan}#${x.action}`, `${x.by} (${x.hubId})`, refused);
  // Set inside the update callback above, which TS's narrowing cannot see.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above
  if (!merged) return;
  await log(call, 'plan-progress', `${x.plan}#${x.action}`, `${x.by} (${x.hubId})`, `${x.update.status}, ${x.update.done} %`);
  report.progress += 1;
}
