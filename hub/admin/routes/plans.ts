import { latestProgress, type Plan, type PlanAction } from '../../../content/index.js';
import { readFile } from 'node:fs/promises';
import { sessionOf, type Session } from '../../auth/index.js';
import { EVIDENCE_MAX_BYTES, sniffEvidence } from '../../submissions/index.js';
import { param } from '../form.js';
import { html } from '../html.js';
import { csrfField, page, when } from '../layout.js';
import { ACTION_STATUS_LABEL, progressFields, readProgress, type ProgressErrors, type ProgressForm } from '../progress-form.js';
import { OFFICIAL, PROPOSALS, type AdminRoute, type AdminServices } from '../route-table.js';
import { formTexts } from '../../http/index.js';

/*
 * The priority action plans at the hub's console: everybody who reads proposals sees each
 * action's latest progress; an elected official (role `official`) posts a new point on an
 * action — pushed to Bamako, merged into the plan there, and pulled by every space.
 */
const url = (p: Plan) => `/admin/plans/${p._id.slice('plan:'.length)}`;
const fcfa = (n: number) => `${new Intl.NumberFormat('fr-FR').format(n)} FCFA`;

function actionBlock(session: Session, p: Plan, a: PlanAction, official: boolean, typed?: ProgressForm, errors?: ProgressErrors) {
  const last = latestProgress(a);
  return html`<section class="card" id="action-${a.id}">
    <h3>${a.title.fr}</h3>
    <p class="meta">${a.responsible} · budget ${fcfa(a.budget)} · ${a.period.start} – ${a.period.end}</p>
    <p>
      ${
        last
          ? html`<b>${ACTION_STATUS_LABEL[last.status]}</b>, ${last.done} % réalisé${last.spent !== undefined ? `, ${fcfa(last.spent)} dépensés` : ''} (point du
            ${last.at}${last.by ? `, ${last.by}` : ''})`
          : 'Aucun point d’avancement.'
      }
    </p>
    ${
      official
        ? html`<details ${errors ? html`open` : ''}>
          <summary>Donner un point d’avancement</summary>
          <form method="post" action="${url(p)}/${a.id}/progress" class="stack" enctype="multipart/form-data">
            ${csrfField(session)} ${progressFields(a, typed, errors, true)}
            <button type="submit">Publier le point</button>
          </form>
        </details>`
        : ''
    }
  </section>`;
}

function planPage(s: AdminServices, session: Session, p: Plan, form?: { action: string; typed: ProgressForm; errors: ProgressErrors }) {
  const official = session.role === 'official';
  const body = html`<p><a href="/admin/plans">← Plans</a></p>
    <p class="meta">${p.scope === 'intercommunal' ? 'intercommunal' : 'communal'} · ${p.communes.join(', ')} · ${p.period.start} – ${p.period.end}</p>
    ${form ? html`<p class="error" role="alert">Le point n’est pas enregistré : corrigez ce qui est signalé.</p>` : ''}
    ${p.priorities.map(
      (r) =>
        html`<h2>${r.title.fr}</h2>
          ${r.actions.map((a) => (form?.action === a.id ? actionBlock(session, p, a, official, form.typed, form.errors) : actionBlock(session, p, a, official)))}`
    )}`;
  return page({ title: p.title.fr, session, spaceName: s.deps.config.spaceName, body });
}

const formOf = (body: unknown): ProgressForm => Object.fromEntries(Object.entries(formTexts(body)).map(([k, v]) => [k, v.trim()]));

export const planRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/plans',
    roles: PROPOSALS,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      const plans = await s.deps.proposals.plans();
      const body = html`<p class="hint">
          Les plans d’actions prioritaires genre et jeunesse. Un·e élu·e y donne l’avancement de chaque action ; le point part à Bamako et paraît dans
          tous les espaces.
        </p>
        <ul>
          ${plans.map((p) => html`<li><a href="${url(p)}">${p.title.fr}</a> <small>${p.communes.join(', ')} · ${when(p.updatedAt ?? p.period.start)}</small></li>`)}
        </ul>
        ${plans.length ? '' : html`<p>Aucun plan.</p>`}`;
      return { page: page({ title: 'Plans d’actions', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/plans/:slug',
    roles: PROPOSALS,
    example: { slug: 'pap-exemple' },
    async handle(s, req, res) {
      const p = await s.deps.proposals.plan(`plan:${param(req, 'slug')}`);
      return { page: planPage(s, sessionOf(res)!, p) };
    },
  },
  {
    method: 'POST',
    path: '/admin/plans/:slug/:action/progress',
    roles: OFFICIAL,
    body: 'multipart',
    action: 'plan.progress',
    example: { slug: 'pap-exemple', action: 'forages' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const p = await s.deps.proposals.plan(`plan:${param(req, 'slug')}`);
      const typed = formOf(req.body);
      const { update, errors } = readProgress(typed, session.username);
      const file = req.file && req.file.size > 0 ? await readFile(req.file.path) : undefined;
      if (file && file.length > EVIDENCE_MAX_BYTES) errors.file = 'La preuve dépasse 3 Mo : réduisez la photo ou le document.';
      else if (file && !sniffEvidence(file)) errors.file = 'La preuve doit être une photo (JPEG, PNG, WebP), un document PDF ou un enregistrement de voix.';
      if (!update || errors.file) return { page: planPage(s, session, p, { action: param(req, 'action'), typed, errors }), status: 422 };
      await s.deps.proposals.reportProgress(p._id, param(req, 'action'), update, session.username, file);
      return {
        redirect: `${url(p)}#action-${param(req, 'action')}`,
        flash: 'Point enregistré : il part à Bamako et paraîtra dans tous les espaces.',
        audit: {
          target: `${p._id}#${param(req, 'action')}`,
          detail: `${update.status}, ${update.done} %${update.spent !== undefined ? `, ${update.spent} FCFA` : ''}${file ? ', avec preuve' : ''}`,
        },
      };
    },
  },
];
