import { AppError, isAppError } from '../../../../content/index.js';
import { csrfField, html, select, type Value, formBody, formText } from '../../../../hub/index.js';
import { configBlock, enrollHub, PERSON_ROLES, putUser, removeUser, type PersonRole } from '../../enroll.js';
import { enrolledHubs, REPLICATOR_USER } from '../../setup.js';
import { BASE } from '../layout.js';
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../page-table.js';

const PATH = `${BASE}/comptes`;
const ROLE_FR: Record<PersonRole, string> = {
  editor: 'éditeur·rice (publie les contenus, écoute le studio)',
  analyst: 'analyste (chiffres, flotte)',
  moderator: 'modérateur·rice (communauté)',
  mentor: 'mentor·e (questions des membres)',
  jury: 'juré·e (note les candidatures aux appels à initiatives)',
  official: 'élu·e (répond aux propositions, met à jour les plans)',
};
const NAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;
const COMMUNE = /^[a-z0-9][a-z0-9-]*$/;
/** An official's communes as typed ("nioro, kayes"): they become CouchDB roles "commune:<slug>". */
const officialCommunes = (typed: string): string[] => [
  ...new Set(
    typed
      .split(/[,\s]+/)
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean)
  ),
];
const MIN_PASSWORD = 10;
/** Only administrators: accounts are CouchDB's `_users`, which only they may write. */
const ADMINS_ONLY = [] as const;

type Form = Record<string, string>;
const formOf = (c: ConsoleContext): Form =>
  Object.fromEntries(Object.entries(formBody(c.req.body)).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : '']));

interface Person {
  name: string;
  roles: string[];
}

async function people(c: ConsoleContext): Promise<Person[]> {
  const res = await c.central<{ rows: { doc?: { name?: string; roles?: string[] } }[] }>(
    '_users/_all_docs?include_docs=true&startkey=%22org.couchdb.user%3A%22&endkey=%22org.couchdb.user%3A%EF%BF%B0%22'
  );
  if (res.status !== 200) throw new AppError(502, 'users-unreadable', `Central n’a pas donné les comptes (HTTP ${res.status}).`);
  return res.body.rows
    .flatMap((r) => (r.doc?.name ? [{ name: r.doc.name, roles: r.doc.roles ?? [] }] : []))
    .filter((p) => !p.roles.includes('hub') && p.name !== REPLICATOR_USER)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The page, with what was typed kept and the problem said beside the form it is about. */
async function render(
  c: ConsoleContext,
  o: { person?: { form: Form; error: string }; hub?: { form: Form; error?: string; enrolled?: string } } = {}
): Promise<ConsoleResult> {
  const s = c.session!;
  const [list, hubs] = await Promise.all([people(c), enrolledHubs(c.s.config.centralUrl, c.couchAuth())]);
  const pf = o.person?.form ?? {};
  const hf = o.hub?.form ?? {};
  const err = (msg: string | undefined): Value => (msg ? html`<p class="error" role="alert">${msg}</p>` : '');
  const body = html`<h2>Personnes</h2>
<table><thead><tr><th scope="col">Nom</th><th scope="col">Rôles</th><th scope="col"></th></tr></thead><tbody>
${list.map((p) => html`<tr><th scope="row">${p.name}</th><td>${p.roles.join(', ') || '—'}</td><td><form method="post" action="${PATH}/personnes/${encodeURIComponent(p.name)}/retirer" class="inline">${csrfField(s)}<button type="submit" class="secondary">Retirer</button></form></td></tr>`)}
</tbody></table>
<form method="post" action="${PATH}/personnes" class="card">${csrfField(s)}
<h3>Ajouter une personne</h3>${err(o.person?.error)}
<label for="username">Nom d’utilisateur</label><input id="username" name="username" required value="${pf.username ?? ''}" autocomplete="off">
<label for="role">Rôle</label>${select(
    'role',
    PERSON_ROLES.map((r) => [r, ROLE_FR[r]] as const),
    pf.role ?? 'editor'
  )}
<label for="communes">Communes de l’élu·e (séparées par des virgules ; vide : toutes)</label><input id="communes" name="communes" value="${pf.communes ?? ''}" placeholder="nioro, kayes">
<label for="password">Mot de passe (${MIN_PASSWORD} caractères au moins ; donnez-le en main propre)</label><input id="password" name="password" type="password" required minlength="${MIN_PASSWORD}" autocomplete="new-password">
<button type="submit">Ajouter</button></form>
<h2>Hubs</h2>
<p>${hubs.length} hub(s) inscrit(s) : ${hubs.join(', ') || 'aucun'}.</p>
${o.hub?.enrolled ? html`<div class="card" role="status"><p>Inscrit. À copier une seule fois dans <code>espace.yaml</code> du hub (le mot de passe ne sera plus montré) :</p><pre>${o.hub.enrolled}</pre></div>` : ''}
<form method="post" action="${PATH}/hubs" class="card">${csrfField(s)}
<h3>Inscrire un hub (ou lui donner un nouveau mot de passe)</h3>${err(o.hub?.error)}
<label for="hubId">Identifiant du hub</label><input id="hubId" name="hubId" required value="${hf.hubId ?? ''}" placeholder="kayes-01">
<label for="adminPassword">Votre mot de passe d’administrateur (il protège le réplicateur)</label><input id="adminPassword" name="adminPassword" type="password" required autocomplete="current-password">
<button type="submit">Inscrire</button></form>`;
  return { page: c.page('Comptes', body), status: o.person?.error || o.hub?.error ? 422 : 200 };
}

/**
 * Accounts at central (issue 13): the programme's people (editors, analysts, moderators,
 * mentors) and the hubs. Administrators only; every change is audited. Enrolling a hub asks
 * the administrator's password again: central's replicator password is derived from it.
 */
export const accountsPage: ConsolePage = {
  nav: { href: PATH, label: 'Comptes', order: 40 },
  routes: [
    { method: 'GET', path: PATH, roles: ADMINS_ONLY, handle: (c) => render(c) },
    {
      method: 'POST',
      path: `${PATH}/personnes`,
      roles: ADMINS_ONLY,
      action: 'account.add',
      async handle(c) {
        const form = formOf(c);
        const role = form.role as PersonRole;
        const problem = !NAME.test(form.username ?? '')
          ? 'Le nom : 2 à 40 lettres minuscules, chiffres, points ou tirets, par exemple « awa.traore ».'
          : form.username!.startsWith('hub-') || form.username === REPLICATOR_USER
            ? 'Ce nom est réservé aux hubs et au réplicateur : choisissez-en un autre.'
            : !PERSON_ROLES.includes(role)
              ? 'Choisissez un rôle dans la liste.'
              : (form.password ?? '').length < MIN_PASSWORD
                ? `Le mot de passe doit avoir ${MIN_PASSWORD} caractères au moins.`
                : undefined;
        const communes = role === 'official' ? officialCommunes(form.communes ?? '') : [];
        const bad = communes.find((x) => !COMMUNE.test(x));
        if (problem || bad)
          return render(c, {
            person: {
              form,
              error: problem ?? `« ${bad} » n’est pas un identifiant de commune : lettres minuscules, chiffres et tirets, par exemple « nioro ».`,
            },
          });
        const roles = [role, ...communes.map((x) => `commune:${x}`)];
        await putUser(c.s.config.centralUrl, c.couchAuth(), form.username!, form.password!, roles);
        return {
          redirect: PATH,
          flash: `Compte ${form.username} (${roles.join(', ')}) enregistré.`,
          audit: { target: form.username!, detail: roles.join(',') },
        };
      },
    },
    {
      method: 'POST',
      path: `${PATH}/personnes/:name/retirer`,
      roles: ADMINS_ONLY,
      action: 'account.remove',
      example: { name: 'quelqu-un' },
      async handle(c) {
        const name = String(c.req.params.name ?? '');
        if (!NAME.test(name)) throw new AppError(404, 'unknown-user', 'Ce compte n’existe pas à central.');
        if (name === c.session!.username) throw new AppError(409, 'self-removal', 'Vous ne pouvez pas retirer votre propre compte.');
        try {
          await removeUser(c.s.config.centralUrl, c.couchAuth(), name);
        } catch (e) {
          if (isAppError(e) && e.reason === 'unknown-user') throw new AppError(404, 'unknown-user', 'Ce compte n’existe pas à central.');
          if (isAppError(e) && e.reason === 'is-a-hub') throw new AppError(409, 'is-a-hub', 'C’est un hub : retirez-le avec « espace central hub remove ».');
          throw e;
        }
        return { redirect: PATH, flash: `Compte ${name} retiré.`, audit: { target: name } };
      },
    },
    {
      method: 'POST',
      path: `${PATH}/hubs`,
      roles: ADMINS_ONLY,
      action: 'hub.enroll',
      async handle(c) {
        const form = formOf(c);
        const hubId = form.hubId ?? '';
        if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(hubId))
          return render(c, { hub: { form, error: 'L’identifiant d’un hub : 2 à 40 lettres minuscules, chiffres ou tirets, par exemple « kayes-01 ».' } });
        let enrolled: string;
        try {
          const e = await enrollHub(c.s.config.centralUrl, { username: c.session!.username, password: formText(c.req.body, 'adminPassword') ?? '' }, hubId);
          enrolled = configBlock({ ...e, url: c.s.config.publicUrl ?? e.url });
        } catch (e) {
          if (isAppError(e) && e.reason === 'central-credentials-refused')
            return render(c, { hub: { form, error: 'Ce n’est pas votre mot de passe d’administrateur : rien n’a été changé.' } });
          throw e;
        }
        await c.s.audit.append({ actor: c.session!.username, role: c.session!.roles.join(','), action: 'hub.enroll', target: hubId, ip: c.req.ip });
        // Shown once, on this answer only (pages are never cached); not a redirect, which would lose it.
        return render(c, { hub: { form: {}, enrolled } });
      },
    },
  ],
};
