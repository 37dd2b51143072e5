import type { Request } from 'express';
import { AGE_BANDS, AppError, CONSENT_VERSION, isAppError, TRADE_SLUGS, TRADES } from '../../../content/index.js';
import { sessionOf, type Session } from '../../auth/index.js';
import { asText, sendCsv } from '../csv-response.js';
import { field, param, query } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { SEX_LABEL, SEX_OPTIONS, ageLabel, csrfField, page, select, when } from '../layout.js';
import { allMembers, eraseMember, getMember, searchMembers, updateMember, type Member } from '../members.js';
import { memberCodeSection } from './member-codes.js';
import { STAFF, type AdminResult, type AdminRoute, type AdminServices } from '../route-table.js';
import { formList } from '../../http/index.js';
import { checkSubmission } from '../../submissions/index.js';

/** A phone shows a long list slowly; search narrows it. */
const SHOWN = 200;
const memberUrl = (id: string) => `/admin/members/${encodeURIComponent(id)}`;

function memberFields(s: AdminServices, m: Partial<Member>): SafeHtml {
  return html`
  <label for="fullName">Nom complet</label>
  <input id="fullName" name="fullName" required minlength="2" maxlength="120" value="${m.fullName ?? ''}" autocomplete="off">
  <fieldset class="row"><legend>Sexe</legend>
  ${SEX_OPTIONS.map(([v, label]) => html`<label class="choice"><input type="radio" name="sex" value="${v}" required ${m.sex === v ? html`checked` : ''}> ${label}</label>`)}
  </fieldset>
  <label for="ageBand">Âge</label>
  ${select(
    'ageBand',
    AGE_BANDS.map((a) => [a, ageLabel(a)] as const),
    m.ageBand ?? '15-24'
  )}
  <label for="commune">Commune</label>
  <input id="commune" name="commune" required value="${m.commune ?? s.deps.config.commune}">
  <label for="phone">Téléphone</label>
  <input id="phone" name="phone" type="tel" inputmode="tel" value="${m.phone ?? ''}">
  <label for="organisation">Organisation</label>
  <input id="organisation" name="organisation" maxlength="200" value="${m.organisation ?? ''}">
  <fieldset><legend>Métiers (artisans : les opportunités et leurs SMS suivent le métier et la commune)</legend>
  ${TRADE_SLUGS.map((t) => html`<label class="choice"><input type="checkbox" name="trades" value="${t}" ${m.trades?.includes(t) ? html`checked` : ''}> ${TRADES[t].fr}</label>`)}
  </fieldset>
  <label class="choice"><input type="checkbox" name="smsConsent" value="yes" ${m.smsConsent ? html`checked` : ''}> La personne accepte de recevoir des SMS à ce numéro (rappels, opportunités, consultations) ; STOP les arrête.</label>`;
}

/** What the form sent, as the registration's fields (trades: the boxes ticked; SMS consent: ticked or not). */
function typed(req: Request): Record<string, unknown> {
  const trades = formList(req.body, 'trades');
  return {
    ...Object.fromEntries(['fullName', 'sex', 'ageBand', 'commune', 'phone', 'organisation'].map((k) => [k, field(req, k)])),
    trades,
    smsConsent: field(req, 'smsConsent') === 'yes',
  };
}

function newForm(s: AdminServices, session: Session, m: Partial<Member>, error?: string): SafeHtml {
  return html`
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/members" class="stack">
  ${csrfField(session)}
  ${memberFields(s, m)}
  <label class="choice consent"><input type="checkbox" name="consent" value="yes" required> La personne accepte que l’espace garde son nom et ses coordonnées pour les activités et le suivi du programme (version ${CONSENT_VERSION}). Elle peut demander leur effacement à tout moment.</label>
  <button type="submit">Inscrire</button>
</form>`;
}

function editForm(s: AdminServices, session: Session, m: Member, error?: string): SafeHtml {
  return html`
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<p class="meta">Inscrit·e le ${when(m.createdAt)}${m.updatedAt ? html` · modifié le ${when(m.updatedAt)}` : ''} · consentement ${m.consentVersion}</p>
<form method="post" action="${memberUrl(m._id)}" class="stack">
  ${csrfField(session)}
  ${memberFields(s, m)}
  <button type="submit">Enregistrer</button>
</form>
<section class="danger">
<h2>Effacer sur demande</h2>
<p>Supprime l’inscription ici et, à la prochaine synchronisation, au niveau central. Les présences de la personne restent comptées de façon anonyme (sexe et âge seulement).</p>
<form method="post" action="${memberUrl(m._id)}/erase" class="stack">
  ${csrfField(session)}
  <label class="choice"><input type="checkbox" name="confirm" value="yes" required> Je confirme que la personne a demandé l’effacement.</label>
  <button type="submit" class="danger">Effacer définitivement</button>
</form>
</section>`;
}

async function orForm(run: () => Promise<AdminResult>, form: (error: string) => AdminResult): Promise<AdminResult> {
  try {
    return await run();
  } catch (e) {
    // A mistake in the form: show it again with what was typed and the reason.
    if (isAppError(e) && e.status === 422) return form(e.details);
    throw e;
  }
}

export const memberRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/members',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const q = query(req, 'q');
      const all = await allMembers(s.deps.dbs.submissions, s.deps.config.hubId);
      const list = searchMembers(all, q);
      const body = html`
<form method="get" action="/admin/members" class="row" role="search">
  <label for="q">Chercher</label>
  <input id="q" name="q" type="search" value="${q}">
  <button type="submit">Chercher</button>
</form>
<p><a class="button" href="/admin/members/new">Inscrire un membre</a> · <a href="/admin/members.csv">Exporter (CSV)</a> · ${list.length} sur ${all.length}</p>
<table class="list">
<thead><tr><th>Nom</th><th>Sexe</th><th>Âge</th><th>Commune</th><th>Téléphone</th><th>Organisation</th></tr></thead>
<tbody>${list
        .slice(0, SHOWN)
        .map(
          (m) =>
            html`<tr><td><a href="${memberUrl(m._id)}">${m.fullName}</a></td><td>${SEX_LABEL[m.sex]}</td><td>${ageLabel(m.ageBand)}</td><td>${m.commune}</td><td>${m.phone ?? ''}</td><td>${m.organisation ?? ''}</td></tr>`
        )}</tbody>
</table>
${list.length > SHOWN ? html`<p class="hint">Les ${SHOWN} premiers sont affichés : précisez la recherche, ou exportez la liste.</p>` : ''}`;
      return { page: page({ title: 'Membres', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/members.csv',
    roles: STAFF,
    async handle(s, req, res) {
      const all = await allMembers(s.deps.dbs.submissions, s.deps.config.hubId);
      // Personal data leaving the hub on a laptop or a key: who took it, and when, is kept.
      const session = sessionOf(res)!;
      await s.audit.append({
        actor: session.username,
        role: session.role,
        action: 'member.export',
        detail: `${all.length} members`,
        ip: req.ip,
      });
      sendCsv(
        res,
        `membres-${s.deps.config.hubId}.csv`,
        ['id', 'nom', 'sexe', 'âge', 'commune', 'téléphone', 'organisation', 'consentement', 'inscrit le', 'modifié le'],
        all.map((m) => [m._id, m.fullName, m.sex, m.ageBand, m.commune, asText(m.phone), m.organisation, m.consentVersion, m.createdAt, m.updatedAt])
      );
    },
  },
  {
    method: 'GET',
    path: '/admin/members/new',
    roles: STAFF,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      return { page: page({ title: 'Inscrire un membre', session, spaceName: s.deps.config.spaceName, body: newForm(s, session, {}) }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/members',
    roles: STAFF,
    action: 'member.create',
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const t = typed(req);
      const input: Record<string, unknown> = { ...t, consent: field(req, 'consent') === 'yes' ? true : false, consentVersion: CONSENT_VERSION };
      if (!input.phone) delete input.phone;
      if (!input.organisation) delete input.organisation;
      if ((input.trades as string[]).length === 0) delete input.trades;
      return orForm(
        async () => {
          // Typed at the console from the space's paper form: the channel "paper".
          const { id } = await s.deps.submissions.submit(checkSubmission('registration', input), { hubId: s.deps.config.hubId, channel: 'paper' });
          return { redirect: memberUrl(id), flash: 'Membre inscrit·e.', audit: { target: id } };
        },
        (error) => ({
          page: page({ title: 'Inscrire un membre', session, spaceName: s.deps.config.spaceName, body: newForm(s, session, t, error) }),
          status: 422,
        })
      );
    },
  },
  {
    method: 'GET',
    path: '/admin/members/:id',
    roles: STAFF,
    example: { id: 'kayes-demo:registration:000000000000' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const m = await getMember(s.deps.dbs.submissions, s.deps.config.hubId, param(req, 'id'));
      const body = html`${editForm(s, session, m)}${await memberCodeSection(s, session, m._id)}`;
      return { page: page({ title: m.fullName, session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/members/:id',
    roles: STAFF,
    action: 'member.update',
    example: { id: 'kayes-demo:registration:000000000000' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const m = await getMember(s.deps.dbs.submissions, s.deps.config.hubId, param(req, 'id'));
      const t = typed(req);
      return orForm(
        async () => {
          await updateMember(s.deps.dbs.submissions, m, t);
          return { redirect: memberUrl(m._id), flash: 'Modifications enregistrées.', audit: { target: m._id } };
        },
        (error) => ({
          page: page({ title: m.fullName, session, spaceName: s.deps.config.spaceName, body: editForm(s, session, { ...m, ...t }, error) }),
          status: 422,
        })
      );
    },
  },
  {
    method: 'POST',
    path: '/admin/members/:id/erase',
    roles: STAFF,
    action: 'member.erase',
    example: { id: 'kayes-demo:registration:000000000000' },
    async handle(s, req) {
      const m = await getMember(s.deps.dbs.submissions, s.deps.config.hubId, param(req, 'id'));
      if (field(req, 'confirm') !== 'yes') throw new AppError(422, 'erase-not-confirmed', 'tick the box confirming that the person asked for erasure');
      // The member code goes with the registration (its posts stay, under the display name chosen).
      await s.deps.members.store.erase(m._id);
      const { anonymised } = await eraseMember(s.deps.dbs.submissions, s.deps.config.hubId, m);
      return {
        redirect: '/admin/members',
        flash: `Inscription effacée (${anonymised} présence(s) gardée(s) sans nom).`,
        audit: { target: m._id, detail: `${anonymised} attendance anonymised` },
      };
    },
  },
];
