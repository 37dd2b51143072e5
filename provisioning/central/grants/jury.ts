import {
  AppError,
  assessmentId,
  assessmentOf,
  Call,
  callIsOpen,
  contentOf,
  parseContentDoc,
  submissionOf,
  timeSortableId,
  type Application,
  type Assessment,
  type GrantReport,
  type PublishedGrantReport,
} from '../../../content/index.js';
import { fail, getDoc, storeVoice, upsert, type CentralCall } from '../community/index.js';
import { rankApplications } from './scoring.js';

const enc = encodeURIComponent;
const today = () => new Date().toISOString().slice(0, 10);

/** A juror's or editor's form refused: field → a French sentence for the console. Nothing was written. */
export class JuryRefused extends AppError {
  constructor(readonly fields: Record<string, string>) {
    super(422, 'jury-refused', Object.values(fields).join(' '));
  }
}

/** Every call published at central (content), newest deadline first. */
export async function calls(call: CentralCall): Promise<Call[]> {
  const res = await call<{ rows: { doc?: Call }[] }>(`content/_all_docs?include_docs=true&startkey=${enc('"call:"')}&endkey=${enc('"call:\ufff0"')}`);
  if (res.status !== 200) fail(res, 'read the calls');
  return res.body.rows.flatMap((r) => (r.doc ? [r.doc] : [])).sort((a, b) => b.deadline.localeCompare(a.deadline) || a._id.localeCompare(b._id));
}

export async function callDoc(call: CentralCall, id: string): Promise<Call> {
  const c = await getDoc<Call>(call, 'content', id);
  if (c?.type !== 'call') throw new AppError(404, 'call-not-found', `central has no call ${id}`);
  return c;
}

/** What `jury` holds: applications (without their attachments' bytes), assessments, reports. */
export interface JuryRecords {
  applications: Application[];
  assessments: Assessment[];
  reports: GrantReport[];
}

export async function juryRecords(call: CentralCall, callId?: string): Promise<JuryRecords> {
  const out: JuryRecords = { applications: [], assessments: [], reports: [] };
  let startkey = '';
  for (;;) {
    const res = await call<{ rows: { id: string; doc?: unknown }[] }>(
      `jury/_all_docs?include_docs=true&limit=500${startkey ? `&skip=1&startkey=${enc(JSON.stringify(startkey))}` : ''}`
    );
    if (res.status !== 200) fail(res, 'read the jury’s database');
    for (const r of res.body.rows) {
      const d = r.doc;
      const application = submissionOf(d, 'application');
      const assessment = application ? null : assessmentOf(d);
      const report = application || assessment ? null : submissionOf(d, 'grantreport');
      const of = (c: string) => !callId || c === callId;
      if (application && of(application.call)) out.applications.push(application);
      else if (assessment && of(assessment.call)) out.assessments.push(assessment);
      else if (report && of(report.call)) out.reports.push(report);
    }
    if (res.body.rows.length < 500) break;
    startkey = res.body.rows.at(-1)!.id;
  }
  out.applications.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return out;
}

/** An application with its attachments' bytes (documents and the voice), as a juror reads it. */
export async function applicationWithFiles(
  call: CentralCall,
  id: string
): Promise<{ doc: Application; files: { name: string; mime: string; data: Buffer }[] }> {
  const raw = await getDoc<{ _attachments?: Record<string, { content_type: string; data: string }> }>(call, 'jury', id, '?attachments=true');
  const d = submissionOf(raw, 'application');
  if (!raw || !d) throw new AppError(404, 'application-not-found', `central has no application ${id} (not pushed yet?)`);
  const files = Object.entries(raw._attachments ?? {}).map(([name, a]) => ({ name, mime: a.content_type, data: Buffer.from(a.data, 'base64') }));
  const { _attachments: _bytes, ...doc } = d;
  return { doc, files };
}

/**
 * A juror declares a conflict of interest with an application, or its absence, before scoring:
 * one assessment doc per (application, juror), written with the juror's own session, so
 * central's validate_doc_update checks it is theirs and that a declared conflict stays.
 */
export async function declare(call: CentralCall, juror: string, application: Application, conflict: boolean, note = ''): Promise<void> {
  const id = assessmentId(application._id, juror);
  const old = await getDoc<Assessment>(call, 'jury', id);
  if (old?.conflict === true && !conflict)
    throw new AppError(403, 'conflict-declared', 'Vous avez déclaré un conflit d’intérêts avec cette candidature : il ne peut pas être retiré.');
  if (old && old.conflict === conflict) return;
  const doc = {
    _id: id,
    type: 'assessment',
    call: application.call,
    application: application._id,
    juror,
    conflict,
    ...(note.trim() ? { conflictNote: note.trim().slice(0, 300) } : {}),
    at: new Date().toISOString(),
    ...(old?._rev ? { _rev: old._rev } : {}),
  };
  const res = await call(`jury/${enc(id)}`, { method: 'PUT', body: doc });
  if (res.status !== 201 && res.status !== 202) fail(res, 'record the declaration');
}

/** Scores typed in the console (criterion id → text) checked against the grid: French sentences per criterion. */
export function checkScores(c: Pick<Call, 'criteria'>, typed: Record<string, string>): { fields: Record<string, string>; scores: Record<string, number> } {
  const fields: Record<string, string> = {};
  const scores: Record<string, number> = {};
  for (const k of c.criteria) {
    const raw = (typed[k.id] ?? '').trim().replace(',', '.');
    const n = Number(raw);
    if (raw === '') fields[k.id] = `Donnez une note de 0 à ${k.max} pour « ${k.label.fr} ».`;
    else if (!Number.isFinite(n)) fields[k.id] = `La note de « ${k.label.fr} » est un nombre de 0 à ${k.max}.`;
    else if (n < 0) fields[k.id] = `La note de « ${k.label.fr} » ne peut pas être négative.`;
    else if (n > k.max) fields[k.id] = `La note de « ${k.label.fr} » est de ${k.max} points au plus.`;
    else scores[k.id] = n;
  }
  return { fields, scores };
}

/** A juror's scores and comment, once the absence of conflict is declared (central refuses them otherwise). */
export async function score(
  call: CentralCall,
  juror: string,
  c: Call,
  application: Application,
  typed: Record<string, string>,
  comment: string
): Promise<void> {
  const id = assessmentId(application._id, juror);
  const old = await getDoc<Assessment>(call, 'jury', id);
  if (!old) throw new AppError(409, 'declare-first', 'Déclarez d’abord si vous avez un conflit d’intérêts avec cette candidature.');
  if (old.conflict) throw new AppError(403, 'conflict-declared', 'Vous avez déclaré un conflit d’intérêts avec cette candidature : vous ne la notez pas.');
  const { fields, scores } = checkScores(c, typed);
  if (comment.length > 2000) fields.comment = 'Le commentaire a 2000 caractères au plus.';
  if (Object.keys(fields).length) throw new JuryRefused(fields);
  const { comment: _previous, ...rest } = old;
  const doc = { ...rest, scores, ...(comment.trim() ? { comment: comment.trim() } : {}), at: new Date().toISOString() };
  const res = await call(`jury/${enc(id)}`, { method: 'PUT', body: doc });
  if (res.status !== 201 && res.status !== 202) fail(res, 'record the scores');
}

async function logDecision(call: CentralCall, callId: string, action: 'results' | 'reports', by: string, detail: string): Promise<void> {
  const id = `decision:${timeSortableId()}`;
  const res = await call(`jury/${enc(id)}`, {
    method: 'PUT',
    body: { _id: id, type: 'decision', call: callId, action, by, at: new Date().toISOString(), detail: detail.slice(0, 500) },
  });
  if (res.status !== 201 && res.status !== 202) fail(res, 'log the decision');
}

/**
 * Publishes a call's results into its content doc (every hub pulls them): the ranking from the
 * non-conflicted jurors' scores and what is funded within the budget. Only after the deadline;
 * run again, it recomputes (late scores count), and each run is logged in `jury`.
 */
export async function publishResults(call: CentralCall, callId: string, by: string): Promise<NonNullable<Call['results']>> {
  const c = await callDoc(call, callId);
  if (today() <= c.deadline)
    throw new AppError(409, 'call-still-open', `l’appel est ouvert jusqu’au ${c.deadline} : publiez les résultats après la date limite`);
  const { applications, assessments } = await juryRecords(call, callId);
  const { ranking, fundedTotal } = rankApplications(c, applications, assessments);
  const results = { publishedAt: new Date().toISOString(), by, ranking, fundedTotal };
  await upsert(
    call,
    'content',
    callId,
    (old) => {
      if (!old) throw new AppError(404, 'call-not-found', `central has no call ${callId}`);
      const next = { ...old, results, updatedAt: results.publishedAt };
      parseContentDoc(next, 'call');
      return next;
    },
    'publish the results'
  );
  await logDecision(call, callId, 'results', by, `${ranking.filter((r) => r.funded).length} financée(s) sur ${ranking.length}, ${fundedTotal} FCFA`);
  return results;
}

/**
 * Publishes the funded initiatives' reports that reached central into their call's content doc
 * (text, spending, evidence and voice as media every hub fetches), the way plan progress is
 * published. Reports of an application that was not funded are left aside. Safe to run again.
 */
export async function publishReports(call: CentralCall, by: string): Promise<number> {
  const { reports } = await juryRecords(call);
  const byCall = new Map<string, GrantReport[]>();
  for (const r of reports) byCall.set(r.call, [...(byCall.get(r.call) ?? []), r]);
  let published = 0;
  for (const [callId, list] of byCall) {
    const c = contentOf(await getDoc(call, 'content', callId), 'call');
    if (!c?.results) continue;
    const funded = new Set(c.results.ranking.filter((r) => r.funded).map((r) => r.application));
    const known = new Set((c.reports ?? []).map((r) => r.source));
    const fresh: PublishedGrantReport[] = [];
    for (const r of list.sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      if (known.has(r._id) || !funded.has(r.application)) continue;
      const full = await getDoc<GrantReport & { _attachments?: Record<string, { content_type: string; data: string }> }>(
        call,
        'jury',
        r._id,
        '?attachments=true'
      );
      if (!full) continue;
      const evidence: PublishedGrantReport['evidence'] = [];
      let voice: string | undefined;
      for (const [name, a] of Object.entries(full._attachments ?? {})) {
        const data = Buffer.from(a.data, 'base64');
        const sha = await storeVoice(call, data, a.content_type, `${r._id.replace(/:/g, '-')}-${name}`);
        if (name.startsWith('voice.')) voice = sha;
        else evidence.push({ kind: a.content_type.startsWith('image/') ? 'photo' : 'document', media: sha });
      }
      fresh.push({
        source: r._id,
        application: r.application,
        at: r.createdAt,
        ...(r.text ? { text: r.text } : {}),
        ...(voice ? { voice } : {}),
        done: r.done,
        spent: r.spent,
        lines: r.lines,
        evidence,
      });
    }
    if (!fresh.length) continue;
    await upsert(
      call,
      'content',
      callId,
      (old) => {
        const current = contentOf(old, 'call');
        if (!current) throw new AppError(404, 'call-not-found', `no call ${callId} at central`);
        const next = {
          ...current,
          reports: [...(current.reports ?? []).filter((x) => !fresh.some((f) => f.source === x.source)), ...fresh],
          updatedAt: new Date().toISOString(),
        };
        parseContentDoc(next, 'call');
        return next;
      },
      'publish the reports'
    );
    await logDecision(call, callId, 'reports', by, `${fresh.length} rapport(s) publié(s)`);
    published += fresh.length;
  }
  return published;
}

/** Whether applications may still be made (for the console's wording). */
export function isOpen(c: Call): boolean {
  return callIsOpen(c, today());
}
