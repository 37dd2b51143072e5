import { AppError, isAppError, type Member } from '../../../content/index.js';
import { sessionOf, type Session } from '../../auth/index.js';
import { qrSvg } from '../../portal/index.js';
import { field, param } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { actionButton, csrfField, page, when } from '../layout.js';
import { getMember } from '../members.js';
import { STAFF, type AdminResult, type AdminRoute, type AdminServices } from '../route-table.js';

const memberUrl = (id: string) => `/admin/members/${encodeURIComponent(id)}`;
const EXAMPLE = { id: 'kayes-demo:registration:000000000000' };

/** The address a phone opens from the card's QR code: the sign-in page with the code filled in. */
export function cardAddress(s: AdminServices, code: string): string {
  return `http://${s.deps.config.dnsName}/membre?code=${encodeURIComponent(code)}`;
}

/** The member-code part of a member's console page: give a code, or manage the one given. */
export async function memberCodeSection(
  s: AdminServices,
  session: Session,
  registrationId: string,
  error?: string,
  typed: { displayName?: string } = {}
): Promise<SafeHtml> {
  const m = await s.deps.members.store.ofRegistration(registrationId);
  const base = memberUrl(registrationId);
  if (!m) {
    return html`<section id="code">
<h2>Code de membre</h2>
<p class="hint">Pour publier dans les discussions et poser des questions aux mentores, la personne reçoit un code (imprimé sur une carte) et choisit un nom affiché et un code PIN. Son téléphone n’est jamais montré.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${base}/code" class="stack narrow">
  ${csrfField(session)}
  <label for="displayName">Nom affiché (choisi par la personne)</label>
  <input id="displayName" name="displayName" required minlength="2" maxlength="40" value="${typed.displayName ?? ''}" autocomplete="off">
  <label for="pin">Code PIN (4 à 6 chiffres, tapé par la personne)</label>
  <input id="pin" name="pin" type="password" inputmode="numeric" pattern="[0-9]{4,6}" required autocomplete="off">
  <label for="pin2">Le même code PIN, encore</label>
  <input id="pin2" name="pin2" type="password" inputmode="numeric" pattern="[0-9]{4,6}" required autocomplete="off">
  <button type="submit">Donner un code de membre</button>
</form>
</section>`;
  }
  const view = await s.deps.members.get(m.code);
  return html`<section id="code">
<h2>Code de membre</h2>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<p><b class="code">${m.code}</b> · nom affiché « ${m.displayName} » · donné le ${when(m.createdAt)}${m.issuedBy ? html` par ${m.issuedBy}` : ''}</p>
<p>${view?.suspended ? html`<b>Suspendu</b>${view.suspendedReason ? html` : ${view.suspendedReason}` : ''}${m.status === 'active' ? html` (par les modérateurs à Bamako)` : ''}` : html`Actif`}</p>
<p><a class="button" href="${base}/card">Imprimer la carte</a> ${actionButton(session, `${base}/kiosk-session`, 'Ouvrir une session pour ce membre ici (kiosque)')}</p>
<form method="post" action="${base}/pin" class="stack narrow">
  ${csrfField(session)}
  <label for="pin">Nouveau code PIN (oublié, ou vu par quelqu’un)</label>
  <input id="pin" name="pin" type="password" inputmode="numeric" pattern="[0-9]{4,6}" required autocomplete="off">
  <button type="submit">Changer le code PIN</button>
</form>
<form method="post" action="${base}/suspend" class="stack narrow">
  ${csrfField(session)}
  <input type="hidden" name="suspend" value="${m.status === 'active' ? 'yes' : 'no'}">
  <label for="reason">${m.status === 'active' ? 'Suspendre ce code : pourquoi ?' : 'Rétablir ce code : pourquoi ?'}</label>
  <input id="reason" name="reason" required maxlength="300">
  <button type="submit" class="${m.status === 'active' ? 'danger' : ''}">${m.status === 'active' ? 'Suspendre' : 'Rétablir'}</button>
</form>
</section>`;
}

async function withMember(s: AdminServices, id: string): Promise<Member & { _rev: string }> {
  const m = await s.deps.members.store.ofRegistration(id);
  if (!m) throw new AppError(404, 'member-code-not-found', 'this person has no member code yet; give one on their page');
  return m;
}

/** A form's mistake: back to the member's page with the reason and what was typed. */
async function orPage(
  s: AdminServices,
  session: Session,
  id: string,
  run: () => Promise<AdminResult>,
  typed: { displayName?: string } = {}
): Promise<AdminResult> {
  try {
    return await run();
  } catch (e) {
    if (!isAppError(e) || e.status >= 500 || e.status === 404 || e.status === 403) throw e;
    const reg = await getMember(s.deps.dbs.submissions, s.deps.config.hubId, id);
    const body = await memberCodeSection(s, session, id, e.details, typed);
    return {
      page: page({
        title: reg.fullName,
        session,
        spaceName: s.deps.config.spaceName,
        body: html`<p><a href="${memberUrl(id)}">← ${reg.fullName}</a></p>${body}`,
      }),
      status: e.status,
    };
  }
}

export const memberCodeRoutes: AdminRoute[] = [
  {
    method: 'POST',
    path: '/admin/members/:id/code',
    roles: STAFF,
    action: 'member.code',
    example: EXAMPLE,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const id = param(req, 'id');
      const reg = await getMember(s.deps.dbs.submissions, s.deps.config.hubId, id);
      const displayName = field(req, 'displayName');
      return orPage(
        s,
        session,
        id,
        async () => {
          if (field(req, 'pin') !== field(req, 'pin2')) throw new AppError(422, 'pin-mismatch', 'les deux codes PIN sont différents : tapez le même deux fois');
          const m = await s.deps.members.store.issue(reg, { displayName, pin: field(req, 'pin') }, session.username);
          return { redirect: `${memberUrl(id)}/card`, flash: `Code de membre ${m.code} donné.`, audit: { target: m._id } };
        },
        { displayName }
      );
    },
  },
  {
    method: 'GET',
    path: '/admin/members/:id/card',
    roles: STAFF,
    example: EXAMPLE,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const id = param(req, 'id');
      const m = await withMember(s, id);
      const address = cardAddress(s, m.code);
      const body = html`<p class="noprint"><a href="${memberUrl(id)}">← retour</a> · imprimez cette page (menu du navigateur, ou Ctrl+P) et découpez la carte.</p>
<div class="card">
  <p class="brand">${s.deps.config.spaceName}</p>
  <p>Carte de membre — SaheLink</p>
  <p class="name">${m.displayName}</p>
  <p class="code" aria-label="Code de membre">${m.code}</p>
  <div class="qr">${await qrSvg(address)}</div>
  <p class="small">Sur le Wi-Fi de l’espace : ${address}<br>Gardez votre code PIN secret. Perdu ? Demandez à l’animatrice.</p>
</div>`;
      return { page: page({ title: `Carte ${m.code}`, session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/members/:id/pin',
    roles: STAFF,
    action: 'member.pin',
    example: EXAMPLE,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const id = param(req, 'id');
      const m = await withMember(s, id);
      return orPage(s, session, id, async () => {
        await s.deps.members.store.setPin(m.code, field(req, 'pin'));
        s.deps.members.endSessions(m.code);
        return { redirect: `${memberUrl(id)}#code`, flash: 'Nouveau code PIN enregistré.', audit: { target: m._id } };
      });
    },
  },
  {
    method: 'POST',
    path: '/admin/members/:id/suspend',
    roles: STAFF,
    action: 'member.suspend',
    example: EXAMPLE,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const id = param(req, 'id');
      const m = await withMember(s, id);
      const suspend = field(req, 'suspend') !== 'no';
      return orPage(s, session, id, async () => {
        await s.deps.members.store.setSuspended(m.code, suspend, field(req, 'reason'), session.username);
        if (suspend) s.deps.members.endSessions(m.code);
        return {
          redirect: `${memberUrl(id)}#code`,
          flash: suspend ? `Code ${m.code} suspendu.` : `Code ${m.code} rétabli.`,
          audit: { target: m._id, detail: `${suspend ? 'suspend' : 'unsuspend'}: ${field(req, 'reason')}` },
        };
      });
    },
  },
  {
    method: 'POST',
    path: '/admin/members/:id/kiosk-session',
    roles: STAFF,
    action: 'member.kiosk-session',
    example: EXAMPLE,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const m = await withMember(s, param(req, 'id'));
      const view = await s.deps.members.get(m.code);
      if (view?.suspended) throw new AppError(403, 'member-suspended', 'ce code est suspendu : rétablissez-le d’abord');
      s.deps.members.signInFor(res, m.code, session.username);
      return { redirect: '/membre', flash: `Session ouverte pour ${m.displayName}.`, audit: { target: m._id } };
    },
  },
];
