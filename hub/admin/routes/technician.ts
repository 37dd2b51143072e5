import type { Request } from 'express';
import { AppError, isAppError } from '../../../content/index.js';
import { importPack, listInstalledPacks, trustedKeysOf } from '../../../content/index.js';
import { runChecks } from '../../doctor/index.js';
import { ROLE_NAMES, ROLES, sessionOf, type Role } from '../../auth/index.js';
import { projectRoot } from '../../config/index.js';
import { field, param } from '../form.js';
import { html } from '../html.js';
import { actionButton, csrfField, page, select, when } from '../layout.js';
import { TECHNICIAN, type AdminRoute } from '../route-table.js';
import { formText } from '../../http/index.js';

const VERDICT_LABEL: Record<string, string> = { ok: 'bon', warning: 'attention', critical: 'critique', unknown: 'inconnu' };
const mb = (n: number) => `${(n / 1e6).toFixed(1)} Mo`;

/** The hub as this request reached it, so the doctor's checks ask the very process serving the page. */
function selfUrl(req: Request): string {
  const addr = req.socket.localAddress ?? '127.0.0.1';
  const host = addr.includes(':') ? (addr.startsWith('::ffff:') ? addr.slice(7) : `[${addr}]`) : addr;
  return `http://${host}:${req.socket.localPort}`;
}

export const technicianRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/health',
    roles: TECHNICIAN,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const checks = await runChecks({ url: selfUrl(req), config: s.deps.config });
      const body = html`
<p class="meta">Les mêmes vérifications que <code>espace doctor</code> · version ${s.deps.version} · démarré le ${when(s.deps.startedAt)} · <a href="/health">/health</a></p>
<table class="list">
<thead><tr><th>Vérification</th><th>État</th><th>Mesure</th><th>Conseil</th></tr></thead>
<tbody>${checks.map((c) => html`<tr class="${c.verdict}"><td>${c.label}</td><td>${VERDICT_LABEL[c.verdict] ?? c.verdict}</td><td>${c.value}</td><td>${c.advice}</td></tr>`)}</tbody>
</table>`;
      return { page: page({ title: 'Santé du hub', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/sync',
    roles: TECHNICIAN,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      const st = s.deps.sync.status();
      const body = html`
<dl class="facts">
<dt>Central</dt><dd>${st.central ?? 'non configuré'}${st.configured ? '' : ' (identifiants manquants : espace central enroll)'}</dd>
<dt>Synchronisation automatique</dt><dd>${st.enabled ? 'activée' : 'désactivée'}${st.nextRunAt ? ` · prochaine le ${when(st.nextRunAt)}` : ''} · ${st.inWindow ? 'dans une plage horaire permise' : 'hors des plages horaires'}</dd>
<dt>En cours</dt><dd>${st.running ? 'oui' : 'non'}</dd>
<dt>Dernière synchronisation</dt><dd>${st.lastRun ? html`${when(st.lastRun.startedAt)} (${st.lastRun.trigger}) · ${st.lastRun.endedAt === null ? 'en cours' : st.lastRun.ok ? 'réussie' : 'échouée'}` : 'jamais'}</dd>
<dt>Données aujourd’hui</dt><dd>${mb(st.budget.bytesToday)} sur ${mb(st.budget.bytesPerDay)} (${st.budget.day})</dd>
<dt>Débit mesuré</dt><dd>${st.throughputBytesPerSecond ? `${Math.round(st.throughputBytesPerSecond / 1000)} ko/s` : 'inconnu'}</dd>
</dl>
<table class="list"><thead><tr><th>Classe</th><th>Dernier succès</th><th>En attente</th><th>Dernière erreur</th></tr></thead>
<tbody>${Object.entries(st.classes).map(
        ([k, c]) =>
          html`<tr><td>${k}</td><td>${when(c.lastSuccess ?? undefined)}</td><td>${c.pending ? `${c.pending.items}${c.pending.bytes ? ` (${mb(c.pending.bytes)})` : ''}` : ''}</td><td>${c.lastError ? `${when(c.lastError.at)} : ${c.lastError.message}` : ''}</td></tr>`
      )}</tbody></table>
${st.configured ? actionButton(session, '/admin/sync/now', 'Synchroniser maintenant', {}, 'big') : ''}`;
      return { page: page({ title: 'Synchronisation', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/sync/now',
    roles: TECHNICIAN,
    action: 'sync.now',
    async handle(s) {
      const sync = s.deps.sync;
      if (!sync.configured()) throw new AppError(409, 'sync-not-configured', 'this hub has no central to sync with; enroll it with "espace central enroll"');
      // Started, not awaited: a run over a thin uplink can take minutes; the page shows its progress.
      void sync.runNow('console').catch((err: unknown) => s.deps.log.warn({ err }, 'sync started from the console failed'));
      return { redirect: '/admin/sync', flash: 'Synchronisation lancée.', audit: {} };
    },
  },
  {
    method: 'GET',
    path: '/admin/packs',
    roles: TECHNICIAN,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      const packs = await listInstalledPacks(s.deps.dbs.content);
      const body = html`
<table class="list">
<thead><tr><th>Paquet</th><th>Version</th><th>Clé</th><th>Documents</th><th>Médias</th><th>Installé le</th></tr></thead>
<tbody>${packs.map((p) => html`<tr><td>${p.name}${p.demo ? ' (démo)' : ''}</td><td>${p.version}</td><td>${p.keyId}</td><td>${p.counts.docs}</td><td>${p.counts.media}</td><td>${when(p.installedAt)}</td></tr>`)}</tbody>
</table>
${packs.length === 0 ? html`<p>Aucun paquet installé.</p>` : ''}
<h2>Importer un paquet</h2>
<form method="post" action="/admin/packs" enctype="multipart/form-data" class="stack">
  ${csrfField(session)}
  <label for="file">Fichier du paquet signé (.tar, ${s.deps.config.admin.uploadMaxMB} Mo au plus)</label>
  <input id="file" name="file" type="file" required>
  <button type="submit">Importer</button>
</form>
<p class="hint">Un paquet trop gros pour le navigateur s’importe par clé USB : <code>espace content import FICHIER</code>.</p>`;
      return { page: page({ title: 'Paquets de contenu', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/packs',
    roles: TECHNICIAN,
    body: 'multipart',
    action: 'pack.import',
    async handle(s, req) {
      const file = req.file;
      if (!file) throw new AppError(422, 'no-file', 'choose a pack file to import');
      const { dbs, media, config } = s.deps;
      const result = await importPack(
        file.path,
        { content: dbs.content, media: dbs.media, store: media },
        { trustedKeys: trustedKeysOf(config, projectRoot()) }
      );
      const what = result.status === 'unchanged' ? 'déjà installé' : `${result.written} document(s) écrit(s), ${result.removed} retiré(s)`;
      return {
        redirect: '/admin/packs',
        flash: `Paquet ${result.name} ${result.version} : ${what}.`,
        audit: { target: `${result.name}@${result.version}`, detail: result.status },
      };
    },
  },
  {
    method: 'GET',
    path: '/admin/accounts',
    roles: TECHNICIAN,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      const users = await s.users.list();
      const { throttle } = s.login;
      const waiting = throttle.waiting();
      const failed = (await s.audit.latest(2000)).filter((e) => e.action === 'login.failed' || e.action === 'login.throttled').slice(0, 30);
      const iso = (ms: number) => new Date(ms).toISOString();
      const body = html`
<table class="list">
<thead><tr><th>Compte</th><th>Rôle</th><th>Créé le</th><th>Connexion</th><th></th></tr></thead>
<tbody>${users.map((u) => {
        const slowed = waiting.filter((w) => w.username === u.username);
        return html`<tr><td>${u.username}</td><td>${u.role}</td><td>${when(u.createdAt)}</td><td>${
          slowed.length
            ? html`en attente depuis ${slowed.map((w) => `${w.ip} (${w.failures} essais, jusqu’à ${when(iso(w.until))})`).join(', ')} ${actionButton(session, `/admin/accounts/${encodeURIComponent(u.username)}/unlock`, 'Débloquer', {}, 'quiet')}`
            : 'libre'
        }</td><td>${u.username === session.username ? 'vous' : actionButton(session, `/admin/accounts/${encodeURIComponent(u.username)}/remove`, 'Supprimer', {}, 'quiet')}</td></tr>`;
      })}</tbody>
</table>
<h2>Connexions manquées récentes</h2>
${
  failed.length
    ? html`<table class="list" id="failed-logins">
<thead><tr><th>Quand</th><th>Nom essayé</th><th>Adresse</th><th>Résultat</th></tr></thead>
<tbody>${failed.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.actor}</td><td>${e.ip ?? ''}</td><td>${e.action === 'login.failed' ? 'mot de passe incorrect' : 'refusée : trop d’essais, attente imposée'}</td></tr>`)}</tbody>
</table>`
    : html`<p>Aucune connexion manquée.</p>`
}
<p class="hint">Après quelques essais manqués, un compte attend de plus en plus longtemps avant un nouvel essai depuis la même adresse (1 s, 2 s, 4 s… jusqu’à ${s.deps.config.admin.loginMaxDelayMinutes} min) ; les autres appareils ne sont pas touchés. « Débloquer » ou <code>espace user unlock NOM</code> lève l’attente.</p>
<h2>Nouveau compte</h2>
<form method="post" action="/admin/accounts" class="stack narrow">
  ${csrfField(session)}
  <label for="username">Nom d’utilisateur</label><input id="username" name="username" required autocapitalize="none">
  <label for="role">Rôle</label>${select(
    'role',
    ROLES.map((r) => [r, ROLE_NAMES[r]] as const),
    'facilitator'
  )}
  <label for="password">Mot de passe (8 caractères au moins)</label><input id="password" name="password" type="password" minlength="8" required autocomplete="new-password">
  <button type="submit">Créer</button>
</form>`;
      return { page: page({ title: 'Comptes', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/accounts',
    roles: TECHNICIAN,
    action: 'account.create',
    async handle(s, req) {
      const username = field(req, 'username').toLowerCase();
      const role = field(req, 'role') as Role;
      try {
        await s.users.add(username, role, formText(req.body, 'password') ?? '');
      } catch (e) {
        if (isAppError(e) && (e.status === 422 || e.status === 409)) return { redirect: '/admin/accounts', flash: `Compte non créé : ${e.details}` };
        throw e;
      }
      return { redirect: '/admin/accounts', flash: `Compte ${username} créé.`, audit: { target: username, detail: role } };
    },
  },
  {
    method: 'POST',
    path: '/admin/accounts/:username/remove',
    roles: TECHNICIAN,
    action: 'account.remove',
    example: { username: 'nobody' },
    async handle(s, req, res) {
      const username = param(req, 'username');
      if (username === sessionOf(res)!.username)
        throw new AppError(409, 'cannot-remove-self', 'you cannot remove the account you are logged in with; ask another technician');
      await s.users.remove(username);
      s.sessions.destroyUser(username);
      return { redirect: '/admin/accounts', flash: `Compte ${username} supprimé.`, audit: { target: username } };
    },
  },
  {
    method: 'POST',
    path: '/admin/accounts/:username/unlock',
    roles: TECHNICIAN,
    action: 'account.unlock',
    example: { username: 'nobody' },
    async handle(s, req) {
      const username = param(req, 'username');
      await s.users.unlock(username);
      s.login.throttle.unlock(username);
      return { redirect: '/admin/accounts', flash: `Compte ${username} débloqué : il peut se connecter de nouveau.`, audit: { target: username } };
    },
  },
  {
    method: 'GET',
    path: '/admin/audit',
    roles: TECHNICIAN,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      const entries = await s.audit.latest(300);
      const body = html`
<p class="meta">Les 300 dernières actions, de la plus récente à la plus ancienne (fichier ${s.audit.path}).</p>
<table class="list">
<thead><tr><th>Quand</th><th>Qui</th><th>Action</th><th>Objet</th><th>Détail</th><th>Adresse</th></tr></thead>
<tbody>${entries.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.actor}${e.role ? ` (${e.role})` : ''}</td><td>${e.action}</td><td>${e.target ?? ''}</td><td>${e.detail ?? ''}</td><td>${e.ip ?? ''}</td></tr>`)}</tbody>
</table>`;
      return { page: page({ title: 'Journal des actions', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
];
