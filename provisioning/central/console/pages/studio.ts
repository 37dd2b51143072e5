import { AppError } from '../../../../content/index.js';
import { csrfField, html, loadCatalogs, when, formText } from '../../../../hub/index.js';
import { accept, decline, pendingContributions, takeOf, type PendingContribution } from '../../review.js';
import { BASE } from '../layout.js';
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../page-table.js';

const PATH = `${BASE}/studio`;
const LANG: Record<string, string> = { fr: 'français', bm: 'bambara', snk: 'soninké' };
const REVIEWERS = ['editor'] as const;

/** A contribution id from the path: the shape the schema allows, nothing else reaches CouchDB. */
function idOf(c: ConsoleContext): string {
  const id = String(c.req.params.id ?? '');
  if (!/^[a-z0-9][a-z0-9-]{1,39}:contribution:[0-9a-z]{6,40}$/.test(id)) throw new AppError(404, 'not-found', 'no such contribution');
  return id;
}

function card(c: ConsoleContext, p: PendingContribution) {
  const s = c.session!;
  const action = (what: string) => `${PATH}/${encodeURIComponent(p._id)}/${what}`;
  return html`<article class="card" id="${p._id}">
<h2>${p.target} <small>${p.field} · ${LANG[p.lang] ?? p.lang}</small></h2>
${p.french ? html`<p><strong>Français :</strong> ${p.french}</p>` : ''}
${p.text ? html`<p lang="${p.lang}"><strong>${LANG[p.lang] ?? p.lang} :</strong> ${p.text}</p>` : ''}
${p.hasTake ? html`<p><audio controls preload="none" src="${PATH}/${encodeURIComponent(p._id)}/ecoute"></audio> ${p.seconds ? html`<small>${Math.round(p.seconds)} s</small>` : ''}</p>` : ''}
<p class="meta">Par ${p.contributor}${p.credit ? html`, à citer comme « ${p.credit} »` : ' (ne souhaite pas être cité·e)'}, espace ${p.hubId}, le ${when(p.createdAt)}</p>
<form method="post" action="${action('accepter')}" class="inline">${csrfField(s)}<button type="submit">Accepter et publier</button></form>
<form method="post" action="${action('refuser')}">${csrfField(s)}
<label for="r-${p._id}">Raison (dite à l’espace)</label> <input id="r-${p._id}" name="reason" required maxlength="500">
<button type="submit" name="decision" value="rejected" class="secondary">Refuser</button>
<button type="submit" name="decision" value="retake" class="secondary">Demander une nouvelle prise</button>
</form>
</article>`;
}

/** The editor's reason: required for a refusal or a new take, said in French when missing. */
function reasonOf(c: ConsoleContext): string {
  const reason = (formText(c.req.body, 'reason') ?? '').trim();
  if (!reason) throw new AppError(422, 'reason-required', 'Donnez une raison : elle est dite à l’espace qui a enregistré.');
  if (reason.length > 500) throw new AppError(422, 'reason-too-long', 'La raison tient en 500 caractères au plus.');
  return reason;
}

/**
 * The studio's review in Bamako (issue 12): each contribution the spaces recorded or
 * translated, beside the French, to hear, accept (published to every hub), refuse or send
 * back for another take. Editors only; they read the `studio` database, nothing else hubs push.
 */
export const studioPage: ConsolePage = {
  nav: { href: PATH, label: 'Studio', order: 30 },
  routes: [
    {
      method: 'GET',
      path: PATH,
      roles: REVIEWERS,
      async handle(c) {
        const pending = await pendingContributions(c.s.config.centralUrl, c.couchAuth());
        const body = pending.length
          ? html`<p>${pending.length} contribution(s) attendent une décision, les plus anciennes d’abord.</p>${pending.map((p) => card(c, p))}`
          : html`<p>Aucune contribution n’attend de décision.</p>`;
        return { page: c.page('Studio : contributions à écouter', body) };
      },
    },
    {
      method: 'GET',
      path: `${PATH}/:id/ecoute`,
      roles: REVIEWERS,
      example: { id: 'kayes-01:contribution:0mhz3k0x1000' },
      async handle(c) {
        const bytes = await takeOf(c.s.config.centralUrl, c.couchAuth(), idOf(c));
        c.res.type('audio/ogg').set('Content-Security-Policy', "sandbox; default-src 'none'").send(bytes);
      },
    },
    {
      method: 'POST',
      path: `${PATH}/:id/accepter`,
      roles: REVIEWERS,
      action: 'studio.accept',
      example: { id: 'kayes-01:contribution:0mhz3k0x1000' },
      async handle(c): Promise<ConsoleResult> {
        const id = idOf(c);
        const fr = loadCatalogs().fr;
        const done = await accept(c.s.config.centralUrl, c.couchAuth(), id, c.session!.username, { frenchMessage: (key) => fr[key] });
        return {
          redirect: PATH,
          flash: `Publié pour tous les espaces : ${done.translation.target} (${LANG[done.translation.lang] ?? done.translation.lang}).`,
          audit: { target: id, detail: done.translation._id },
        };
      },
    },
    {
      method: 'POST',
      path: `${PATH}/:id/refuser`,
      roles: REVIEWERS,
      action: 'studio.decline',
      example: { id: 'kayes-01:contribution:0mhz3k0x1000' },
      async handle(c): Promise<ConsoleResult> {
        const id = idOf(c);
        const decision = formText(c.req.body, 'decision') === 'retake' ? 'retake' : 'rejected';
        const reason = reasonOf(c);
        await decline(c.s.config.centralUrl, c.couchAuth(), id, decision, c.session!.username, reason);
        return {
          redirect: PATH,
          flash: decision === 'retake' ? 'Nouvelle prise demandée.' : 'Contribution refusée ; rien n’est publié.',
          audit: { target: id, detail: `${decision}: ${reason}` },
        };
      },
    },
  ],
};
