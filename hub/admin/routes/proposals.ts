import { AppError, PROPOSAL_DECISIONS } from '../../../content/index.js';
import { sessionOf } from '../../auth/index.js';
import type { ProposalView } from '../../proposals/index.js';
import { field, param, query } from '../form.js';
import { html } from '../html.js';
import { csrfField, page, when } from '../layout.js';
import { OFFICIAL, PROPOSALS, STAFF, type AdminRoute } from '../route-table.js';

export const STATUS_LABEL: Record<string, string> = {
  ouverte: 'ouverte',
  etude: 'à l’étude',
  retenue: 'retenue dans le plan',
  rejetee: 'rejetée',
  'deja-prevue': 'déjà prévue',
};
const DECISION_LABEL: Record<string, string> = { retenue: 'Retenue dans le plan', rejetee: 'Rejetée', 'deja-prevue': 'Déjà prévue' };
const fcfa = (n: number) => `${new Intl.NumberFormat('fr-FR').format(n)} FCFA`;
const url = (id: string) => `/admin/proposals/${encodeURIComponent(id)}`;

function counts(v: ProposalView) {
  return html`${v.supports.total} / ${v.threshold} (${v.supports.members} membres, ${v.supports.paper} sur papier)`;
}

export const proposalRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/proposals',
    roles: PROPOSALS,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const status = query(req, 'status');
      const all = await s.deps.proposals.list(status ? { status } : {});
      const body = html`<p class="hint">
          Les propositions des membres de tous les espaces. Chaque membre soutient une fois ; les signatures recueillies sur papier sont saisies ici par
          l’animateur·rice. Au seuil de sa commune, une proposition passe « à l’étude » ; un·e élu·e y répond publiquement, avec une raison.
        </p>
        <p>
          ${['', 'ouverte', 'etude', 'retenue', 'rejetee', 'deja-prevue'].map((st) => html`<a href="/admin/proposals${st ? `?status=${st}` : ''}" ${st === status ? html` aria-current="page"` : ''}>${st ? STATUS_LABEL[st] : 'toutes'}</a> · `)}
        </p>
        <table class="list">
          <thead>
            <tr>
              <th>Date</th>
              <th>Proposition</th>
              <th>Commune</th>
              <th>Soutiens</th>
              <th>État</th>
            </tr>
          </thead>
          <tbody>
            ${all.map(
              (v) =>
                html`<tr>
                  <td>${when(v.createdAt)}</td>
                  <td><a href="${url(v.id)}">${v.title}</a> <small>${v.author.name} (${v.author.hub})</small></td>
                  <td>${v.commune}</td>
                  <td>${counts(v)}</td>
                  <td>${STATUS_LABEL[v.status] ?? v.status}${v.answer?.pending ? ' (réponse en route)' : ''}</td>
                </tr>`
            )}
          </tbody>
        </table>
        ${all.length ? '' : html`<p>Aucune proposition.</p>`}`;
      return { page: page({ title: 'Propositions citoyennes', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/proposals/:id',
    roles: PROPOSALS,
    example: { id: 'kayes-demo:proposal:000000000000' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const v = await s.deps.proposals.get(param(req, 'id'));
      const staff = (STAFF as readonly string[]).includes(session.role);
      const official = session.role === 'official';
      const body = html`<p><a href="/admin/proposals">← Propositions</a></p>
        <p class="meta">
          ${v.author.name} (${v.author.hub}) · ${when(v.createdAt)} · commune ${v.commune} · thème ${v.theme} · pour
          ${v.beneficiaries.join(', ') || 'toutes et tous'} · coût estimé ${fcfa(v.cost)}
        </p>
        <p>${v.text ?? ''}</p>
        ${v.hasVoice ? html`<audio controls preload="none" src="/propositions/${encodeURIComponent(v.id)}/voix"></audio>` : ''}
        <p><b>Soutiens :</b> ${counts(v)} · <b>État :</b> ${STATUS_LABEL[v.status] ?? v.status}</p>
        ${
          v.answer
            ? html`<div class="answer">
                <p class="meta">
                  ${DECISION_LABEL[v.answer.decision]} — ${v.answer.by} · ${when(v.answer.at)}${v.answer.pending ? ' (en route vers Bamako)' : ''}
                </p>
                <p>${v.answer.reason}</p>
              </div>`
            : ''
        }
        ${
          staff
            ? html`<h2>Signatures sur papier</h2>
                <form method="post" action="${url(v.id)}/paper" class="stack">
                  ${csrfField(session)} <label for="sheet">Numéro ou nom de la feuille</label
                  ><input id="sheet" name="sheet" required maxlength="40" placeholder="feuille-1" />
                  <label for="count">Nombre de signatures sur la feuille</label><input id="count" name="count" type="number" min="1" max="1000" required />
                  <button type="submit">Ajouter la feuille</button>
                </form>`
            : ''
        }
        ${
          official
            ? html`<h2>Répondre publiquement</h2>
                <form method="post" action="${url(v.id)}/answer" class="stack">
                  ${csrfField(session)}
                  <fieldset>
                    <legend>Réponse</legend>
                    ${PROPOSAL_DECISIONS.map((d) => html`<label class="check"><input type="radio" name="decision" value="${d}" required /> ${DECISION_LABEL[d]}</label>`)}
                  </fieldset>
                  <label for="reason">Raison (tout le monde la lit)</label
                  ><textarea id="reason" name="reason" required minlength="3" maxlength="1000" rows="4"></textarea>
                  <button type="submit">Publier la réponse</button>
                </form>`
            : ''
        }`;
      return { page: page({ title: v.title, session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/proposals/:id/paper',
    roles: STAFF,
    action: 'proposal.paper',
    example: { id: 'kayes-demo:proposal:000000000000' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const id = param(req, 'id');
      const count = Number(field(req, 'count'));
      const v = await s.deps.proposals.paperSupports(id, field(req, 'sheet'), count, session.username);
      return {
        redirect: url(id),
        flash: `Feuille ajoutée : ${v.supports.total} soutien(s) en tout.`,
        audit: { target: id, detail: `${field(req, 'sheet')}: ${count}` },
      };
    },
  },
  {
    method: 'POST',
    path: '/admin/proposals/:id/answer',
    roles: OFFICIAL,
    action: 'proposal.answer',
    example: { id: 'kayes-demo:proposal:000000000000' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const id = param(req, 'id');
      const decision = field(req, 'decision');
      if (!decision) throw new AppError(422, 'bad-decision', 'choose an answer: retenue, rejetée or déjà prévue');
      await s.deps.proposals.answer(id, decision, field(req, 'reason'), session.username);
      return {
        redirect: url(id),
        flash: 'Réponse enregistrée : elle part à Bamako et sera publiée dans tous les espaces.',
        audit: { target: id, detail: `${decision}: ${field(req, 'reason').slice(0, 200)}` },
      };
    },
  },
];
