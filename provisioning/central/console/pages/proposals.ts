import { readFileSync } from 'node:fs';
import { AppError, isAppError, latestProgress, PROPOSAL_DECISIONS, type Plan, type PlanAction, type PublishedProposal } from '../../../../content/index.js';
import {
  ACTION_STATUS_LABEL,
  csrfField,
  html,
  progressFields,
  readProgress,
  when,
  type ProgressErrors,
  type ProgressForm,
  type Value,
  formTexts,
} from '../../../../hub/index.js';
import { addPlanProgress, answerProposal, officialCommunes, publishedPlans, publishedProposals } from '../../community/index.js';
import { BASE } from '../layout.js';
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../page-table.js';

/*
 * Elected officials at central (issue 15): answer the citizens' proposals of their communes
 * (retenue / rejetée / déjà prévue, with a reason everybody reads) and post progress on their
 * plans' actions, with a photo, a document or a voice as evidence. Both are written into the
 * content every space pulls, with the official's own CouchDB session: validate_doc_update
 * decides (only those fields, only their communes), the console only shows them their own.
 */
const PATH = `${BASE}/propositions`;
const PLANS = `${BASE}/plans`;
const OFFICIALS = ['official'] as const;
const STATUS_FR: Record<string, string> = {
  ouverte: 'ouverte',
  etude: 'à l’étude',
  retenue: 'retenue dans le plan',
  rejetee: 'rejetée',
  'deja-prevue': 'déjà prévue',
};
const DECISION_FR: Record<string, string> = { retenue: 'Retenue dans le plan', rejetee: 'Rejetée', 'deja-prevue': 'Déjà prévue' };
const fcfa = (n: number) => `${new Intl.NumberFormat('fr-FR').format(n)} FCFA`;
const PUBLISHED = /^proposal:[a-z0-9-]+$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/;

const formOf = (c: ConsoleContext): ProgressForm => Object.fromEntries(Object.entries(formTexts(c.req.body)).map(([k, v]) => [k, v.trim()]));
const err = (e: string | undefined): Value => (e ? html`<p class="error" role="alert">${e}</p>` : '');

async function proposalOf(c: ConsoleContext): Promise<PublishedProposal> {
  const id = String(c.req.params.id ?? '');
  const mine = PUBLISHED.test(id) ? (await publishedProposals(c.central, await officialCommunes(c.central))).find((p) => p._id === id) : undefined;
  if (!mine) throw new AppError(404, 'proposal-not-found', 'Cette proposition n’est pas publiée à central, ou pas dans vos communes.');
  return mine;
}

async function planOf(c: ConsoleContext): Promise<Plan> {
  const slug = String(c.req.params.slug ?? '');
  const plan = SLUG.test(slug) ? (await publishedPlans(c.central, await officialCommunes(c.central))).find((p) => p._id === `plan:${slug}`) : undefined;
  if (!plan) throw new AppError(404, 'plan-not-found', 'Ce plan n’existe pas à central, ou pas dans vos communes.');
  return plan;
}

function proposalPage(c: ConsoleContext, p: PublishedProposal, typed: { decision?: string; reason?: string } = {}, error?: string): ConsoleResult {
  const s = c.session!;
  const body = html`<p><a href="${PATH}">← Propositions</a></p>
<p class="meta">${p.author.name} (${p.author.hub}) · ${when(p.createdAt)} · commune ${p.commune} · thème ${p.theme} · pour ${p.beneficiaries.join(', ') || 'toutes et tous'} · coût estimé ${fcfa(p.cost)}</p>
${p.text ? html`<p lang="${p.lang}">${p.text}</p>` : ''}${p.voice ? html`<p class="meta">Avec un enregistrement de voix (à écouter dans les espaces).</p>` : ''}
<p><b>Soutiens :</b> ${p.supports.members + p.supports.paper} / ${p.threshold} (${p.supports.members} membres, ${p.supports.paper} sur papier) · <b>État :</b> <span data-status="${p.status}">${STATUS_FR[p.status]}</span></p>
${p.answer ? html`<div class="card"><p class="meta">${DECISION_FR[p.answer.decision]} — ${p.answer.by} (${p.answer.hub}) · ${when(p.answer.at)}</p><p>${p.answer.reason}</p></div>` : ''}
<form method="post" action="${PATH}/${encodeURIComponent(p._id)}/reponse" class="card">${csrfField(s)}
<h2>${p.answer ? 'Changer la réponse' : 'Répondre publiquement'}</h2>${err(error)}
<fieldset><legend>Réponse</legend>${PROPOSAL_DECISIONS.map((d) => html`<label><input type="radio" name="decision" value="${d}" required ${typed.decision === d ? html`checked` : ''}> ${DECISION_FR[d]}</label> `)}</fieldset>
<label for="reason">Raison (tous les espaces la lisent)</label><textarea id="reason" name="reason" required minlength="3" maxlength="1000" rows="4">${typed.reason ?? ''}</textarea>
<button type="submit">Publier la réponse</button></form>`;
  return { page: c.page(p.title, body), status: error ? 422 : 200 };
}

function actionCard(c: ConsoleContext, p: Plan, a: PlanAction, typed?: ProgressForm, errors?: ProgressErrors): Value {
  const last = latestProgress(a);
  return html`<section class="card" id="action-${a.id}"><h3>${a.title.fr}</h3>
<p class="meta">${a.responsible} · budget ${fcfa(a.budget)} · ${a.period.start} – ${a.period.end}</p>
<p>${last ? html`<b data-status="${last.status}">${ACTION_STATUS_LABEL[last.status]}</b>, ${last.done} % réalisé${last.spent !== undefined ? `, ${fcfa(last.spent)} dépensés` : ''} (point du ${last.at}${last.by ? `, ${last.by}` : ''})` : 'Aucun point d’avancement.'}</p>
<details ${errors ? html`open` : ''}><summary>Donner un point d’avancement</summary>
<form method="post" action="${PLANS}/${p._id.slice(5)}/${a.id}/avancement" enctype="multipart/form-data">${csrfField(c.session!)}
${errors && Object.keys(errors).length ? html`<p class="error" role="alert">Le point n’est pas enregistré : corrigez ce qui est signalé.</p>` : ''}
${progressFields(a, typed, errors, true)}
<button type="submit">Publier le point</button></form></details></section>`;
}

function planPage(c: ConsoleContext, p: Plan, form?: { action: string; typed: ProgressForm; errors: ProgressErrors }): ConsoleResult {
  const body = html`<p><a href="${PATH}">← Propositions et plans</a></p>
<p class="meta">${p.scope} · ${p.communes.join(', ')} · ${p.period.start} – ${p.period.end}</p>
${p.priorities.map((r) => html`<h2>${r.title.fr}</h2>${r.actions.map((a) => (form?.action === a.id ? actionCard(c, p, a, form.typed, form.errors) : actionCard(c, p, a)))}`)}`;
  return { page: c.page(p.title.fr, body), status: form ? 422 : 200 };
}

export const proposalsPage: ConsolePage = {
  nav: { href: PATH, label: 'Propositions', order: 55 },
  routes: [
    {
      method: 'GET',
      path: PATH,
      roles: OFFICIALS,
      async handle(c) {
        const communes = await officialCommunes(c.central);
        const status = typeof c.req.query.status === 'string' ? c.req.query.status : '';
        const [all, plans] = await Promise.all([publishedProposals(c.central, communes), publishedPlans(c.central, communes)]);
        const shown = status ? all.filter((p) => p.status === status) : all;
        const body = html`<p class="meta">${communes ? `Vos communes : ${communes.join(', ')}.` : 'Toutes les communes.'} Les propositions publiées pour tous les espaces ; votre réponse et vos points d’avancement leur parviennent avec la prochaine synchronisation.</p>
<p>${['', 'ouverte', 'etude', 'retenue', 'rejetee', 'deja-prevue'].map((st) => html`<a href="${PATH}${st ? `?status=${st}` : ''}" ${st === status ? html`aria-current="page"` : ''}>${st ? STATUS_FR[st] : 'toutes'}</a> · `)}</p>
<table><thead><tr><th scope="col">Date</th><th scope="col">Proposition</th><th scope="col">Commune</th><th scope="col">Soutiens</th><th scope="col">État</th></tr></thead><tbody>
${shown.map((p) => html`<tr><td>${when(p.createdAt)}</td><td><a href="${PATH}/${encodeURIComponent(p._id)}">${p.title}</a></td><td>${p.commune}</td><td>${p.supports.members + p.supports.paper} / ${p.threshold}</td><td data-status="${p.status}">${STATUS_FR[p.status]}</td></tr>`)}
</tbody></table>${shown.length ? '' : html`<p>Aucune proposition.</p>`}
<h2>Plans d’actions prioritaires</h2>
<ul>${plans.map((p) => html`<li><a href="${PLANS}/${p._id.slice(5)}">${p.title.fr}</a> <small>${p.communes.join(', ')}</small></li>`)}</ul>${plans.length ? '' : html`<p>Aucun plan.</p>`}`;
        return { page: c.page('Propositions citoyennes et plans', body) };
      },
    },
    {
      method: 'GET',
      path: `${PATH}/:id`,
      roles: OFFICIALS,
      example: { id: 'proposal:nioro-01-proposal-0mhz3k0x1000' },
      async handle(c) {
        return proposalPage(c, await proposalOf(c));
      },
    },
    {
      method: 'POST',
      path: `${PATH}/:id/reponse`,
      roles: OFFICIALS,
      action: 'proposal.answer',
      example: { id: 'proposal:nioro-01-proposal-0mhz3k0x1000' },
      async handle(c): Promise<ConsoleResult> {
        const p = await proposalOf(c);
        const typed = formOf(c);
        try {
          await answerProposal(c.central, p._id, typed.decision ?? '', typed.reason ?? '', c.session!.username);
        } catch (e) {
          if (isAppError(e) && e.status === 422) return proposalPage(c, p, typed, e.details);
          throw e;
        }
        return {
          redirect: `${PATH}/${encodeURIComponent(p._id)}`,
          flash: 'Réponse publiée : elle parvient à tous les espaces avec leur prochaine synchronisation.',
          audit: { target: p._id, detail: `${typed.decision}: ${(typed.reason ?? '').slice(0, 200)}` },
        };
      },
    },
    {
      method: 'GET',
      path: `${PLANS}/:slug`,
      roles: OFFICIALS,
      example: { slug: 'pap-nioro-2027' },
      async handle(c) {
        return planPage(c, await planOf(c));
      },
    },
    {
      method: 'POST',
      path: `${PLANS}/:slug/:action/avancement`,
      roles: OFFICIALS,
      body: 'multipart',
      action: 'plan.progress',
      example: { slug: 'pap-nioro-2027', action: 'forages' },
      async handle(c): Promise<ConsoleResult> {
        const p = await planOf(c);
        const action = String(c.req.params.action ?? '');
        if (!p.priorities.some((r) => r.actions.some((a) => a.id === action))) throw new AppError(404, 'action-not-found', 'Ce plan n’a pas cette action.');
        const typed = formOf(c);
        const { update, errors } = readProgress(typed, c.session!.username);
        if (!update) return planPage(c, p, { action, typed, errors });
        const file = c.req.file;
        const evidence = file && file.size > 0 ? { data: readFileSync(file.path), name: file.originalname || 'preuve' } : undefined;
        try {
          await addPlanProgress(c.central, p._id, action, update, evidence);
        } catch (e) {
          if (isAppError(e) && e.status === 422) return planPage(c, p, { action, typed, errors: { file: e.details } });
          throw e;
        }
        return {
          redirect: `${PLANS}/${p._id.slice(5)}#action-${action}`,
          flash: 'Point publié : il parvient à tous les espaces avec leur prochaine synchronisation.',
          audit: { target: `${p._id}#${action}`, detail: `${update.status}, ${update.done} %${evidence ? ', avec preuve' : ''}` },
        };
      },
    },
  ],
};
