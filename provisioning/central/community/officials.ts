import { AppError, contentOf, parseContentDoc, PROPOSAL_DECISIONS, type Plan, type ProgressUpdate, type PublishedProposal } from '../../../content/index.js';
import { EVIDENCE_MAX_BYTES, sniffEvidence } from '../../../hub/index.js';
import { getDoc, storeVoice, upsert, type CentralCall } from './community.js';

/*
 * What an elected official does at central's console, with their own CouchDB session: answer a
 * published proposal, add a progress update to a plan's action. Both write the content doc every
 * space pulls; central's validate_doc_update lets an official change only those fields, and
 * only for their communes (roles "commune:<slug>").
 */

const isDecision = (d: string): d is (typeof PROPOSAL_DECISIONS)[number] => (PROPOSAL_DECISIONS as readonly string[]).includes(d);

/** The communes an official answers for (none: every commune), from their CouchDB roles. */
export async function officialCommunes(call: CentralCall): Promise<string[] | null> {
  const res = await call<{ userCtx?: { roles?: string[] } }>('_session');
  const roles = res.body.userCtx?.roles ?? [];
  if (roles.includes('_admin') || !roles.includes('official')) return null;
  const mine = roles.filter((r) => r.startsWith('commune:')).map((r) => r.slice('commune:'.length));
  return mine.length ? mine : null;
}

/** The published proposals (optionally of these communes), newest first. */
export async function publishedProposals(call: CentralCall, communes: string[] | null): Promise<PublishedProposal[]> {
  const res = await call<{ rows: { doc?: PublishedProposal }[] }>(
    `content/_all_docs?include_docs=true&startkey=${encodeURIComponent('"proposal:"')}&endkey=${encodeURIComponent('"proposal:\ufff0"')}`
  );
  if (res.status !== 200) throw new AppError(502, 'central-unreadable', `central did not give the proposals (HTTP ${res.status})`);
  return res.body.rows
    .flatMap((r) => (r.doc?.type === 'proposal' ? [r.doc] : []))
    .filter((p) => !communes || communes.includes(p.commune))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The plans (optionally those naming one of these communes). */
export async function publishedPlans(call: CentralCall, communes: string[] | null): Promise<Plan[]> {
  const res = await call<{ rows: { doc?: Plan }[] }>(
    `content/_all_docs?include_docs=true&startkey=${encodeURIComponent('"plan:"')}&endkey=${encodeURIComponent('"plan:\ufff0"')}`
  );
  if (res.status !== 200) throw new AppError(502, 'central-unreadable', `central did not give the plans (HTTP ${res.status})`);
  return res.body.rows.flatMap((r) => (r.doc?.type === 'plan' && (!communes || r.doc.communes.some((c) => communes.includes(c))) ? [r.doc] : []));
}

/** A CouchDB refusal (validate_doc_update) said as the official's 403. */
function refused(e: unknown): never {
  if (e instanceof AppError && (e.status === 403 || e.details.includes('forbidden')))
    throw new AppError(403, 'not-your-commune', `Central a refusé : ${e.details}`);
  throw e;
}

/** An official's public answer, with its reason, published at once for every space. */
export async function answerProposal(call: CentralCall, id: string, decision: string, reason: string, by: string): Promise<PublishedProposal> {
  if (!isDecision(decision)) throw new AppError(422, 'bad-decision', 'Choisissez une réponse : retenue, rejetée ou déjà prévue.');
  const why = reason.trim();
  if (why.length < 3) throw new AppError(422, 'reason-required', 'Donnez la raison en quelques mots : tout le monde la lit.');
  if (why.length > 1000) throw new AppError(422, 'reason-too-long', 'La raison tient en 1 000 caractères au plus.');
  let out: PublishedProposal | undefined;
  const at = new Date().toISOString();
  try {
    await upsert(
      call,
      'content',
      id,
      (old) => {
        const published = contentOf(old, 'proposal');
        if (!published) throw new AppError(404, 'proposal-not-found', 'Cette proposition n’est pas publiée à central.');
        const next = { ...published, status: decision, answer: { decision, reason: why, by, at, hub: 'central' }, updatedAt: at };
        parseContentDoc(next, 'proposal');
        out = next;
        return next;
      },
      'publish the answer'
    );
  } catch (e) {
    refused(e);
  }
  return out!;
}

/**
 * Adds an official's progress update to one action of a plan, with its evidence stored once as
 * media (every space fetches it like any media). Earlier updates are kept as they were.
 */
export async function addPlanProgress(
  call: CentralCall,
  planId: string,
  actionId: string,
  update: ProgressUpdate,
  evidence?: { data: Buffer; name: string }
): Promise<Plan> {
  const plan = contentOf(await getDoc(call, 'content', planId), 'plan');
  if (!plan) throw new AppError(404, 'plan-not-found', 'Ce plan n’existe pas à central.');
  if (!plan.priorities.some((r) => r.actions.some((a) => a.id === actionId))) throw new AppError(404, 'action-not-found', 'Ce plan n’a pas cette action.');
  let full = update;
  if (evidence) {
    const kind = sniffEvidence(evidence.data);
    if (!kind)
      throw new AppError(
        422,
        'evidence-type',
        'La preuve doit être une photo (JPEG, PNG, WebP), un document PDF ou un enregistrement de voix : rien n’a été enregistré.'
      );
    if (evidence.data.length > EVIDENCE_MAX_BYTES)
      throw new AppError(422, 'evidence-too-large', 'La preuve dépasse 3 Mo : réduisez la photo ou le document. Rien n’a été enregistré.');
    let sha: string;
    try {
      sha = await storeVoice(call, evidence.data, kind.mime, `${planId.slice(5)}-${actionId}-${evidence.name}`.slice(0, 120));
    } catch (e) {
      refused(e);
    }
    full = { ...update, evidence: [...(update.evidence ?? []), { kind: kind.kind, media: sha }] };
  }
  let out: Plan | undefined;
  try {
    await upsert(
      call,
      'content',
      planId,
      (old) => {
        const current = contentOf(old, 'plan');
        if (!current) throw new AppError(404, 'plan-not-found', 'Ce plan n’existe pas à central.');
        const next = structuredClone(current);
        const action = next.priorities.flatMap((r) => r.actions).find((a) => a.id === actionId)!;
        (action.progress ??= []).push(full);
        next.updatedAt = new Date().toISOString();
        parseContentDoc(next, 'plan');
        out = next;
        return next;
      },
      'add the progress to the plan'
    );
  } catch (e) {
    refused(e);
  }
  return out!;
}
