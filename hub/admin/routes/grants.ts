import type { Request, Response } from 'express';
import { AppError, APPLICANT_KINDS, GRANT_FILE_MAX_BYTES, type Application, type Call } from '../../../content/index.js';
import { sessionOf, type Session } from '../../auth/index.js';
import { GrantRefused, type ApplicationInput, type UploadedFile } from '../../grants/index.js';
import { APPLICANT_KIND_LABELS } from '../../indicators/index.js';
import { field, param } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page, select, when } from '../layout.js';
import { GRANTS, type AdminRoute, type AdminServices } from '../route-table.js';
import { formTexts } from '../../http/index.js';

const BASE = '/admin/appels';
const LINES = 8;
const fcfa = (n: number) => `${new Intl.NumberFormat('fr-FR').format(n)} FCFA`;
const slugOf = (id: string) => id.slice('call:'.length);
const appUrl = (id: string) => `${BASE}/candidatures/${encodeURIComponent(id)}`;
const TYPE_LABEL: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'photo JPEG', 'image/png': 'image PNG' };

/** The console's French for each reason the grants room refuses a field. */
const REASON: Record<string, string> = {
  closed: 'La date limite de cet appel est passée : il ne prend plus de candidature.',
  'not-open': 'Cet appel n’est pas encore ouvert.',
  'not-funded': 'Cette candidature n’est pas financée : seules les initiatives financées font un rapport.',
  'organisation-short': 'Écrivez le nom de l’organisation (2 caractères au moins).',
  'organisation-long': 'Le nom de l’organisation tient en 120 caractères, sans caractère de contrôle.',
  kind: 'Choisissez le type d’organisation.',
  'kind-not-eligible': 'Cet appel n’est pas ouvert à ce type d’organisation.',
  commune: 'Choisissez une des communes de l’appel.',
  'contact-name': 'Écrivez le nom de la personne à contacter (2 à 80 caractères).',
  'contact-phone': 'Écrivez un numéro de téléphone, par exemple +223 76 12 34 56.',
  'title-short': 'Donnez un titre au projet (3 caractères au moins).',
  'title-long': 'Le titre tient en 160 caractères, sans caractère de contrôle.',
  'text-long': 'Le texte est trop long (4 000 caractères au plus).',
  unsafe: 'Le texte contient des caractères invisibles ou de contrôle : retapez-le.',
  empty: 'Décrivez le projet par écrit ou joignez un enregistrement de voix.',
  'line-label': 'Donnez un libellé à cette ligne.',
  'line-label-long': 'Le libellé tient en 120 caractères.',
  'line-amount-number': 'Le montant est un nombre entier de francs CFA, par exemple 150000.',
  'line-amount-negative': 'Un montant ne peut pas être négatif.',
  'lines-empty': 'Donnez au moins une ligne de budget.',
  'total-zero': 'Le total du budget doit être plus que 0 franc CFA.',
  'total-over-max': 'Le total dépasse le montant maximum par initiative de cet appel.',
  'file-missing': 'Cette pièce est demandée par l’appel.',
  'file-large': `Le fichier dépasse ${GRANT_FILE_MAX_BYTES / 1_000_000} Mo : photographiez ou scannez la pièce en plus petit.`,
  'file-type': 'Ce type de fichier n’est pas accepté pour cette pièce (le contenu du fichier est vérifié, pas son nom).',
  'not-audio': 'Ce fichier n’est pas un enregistrement de voix.',
  'voice-too-long': 'L’enregistrement est trop long (1,5 Mo au plus).',
  done: 'Indiquez la part réalisée, de 0 à 100 %.',
};

type Errors = Record<string, string>;
type Typed = Record<string, string>;

function row(name: string, label: string, control: (attrs: SafeHtml) => SafeHtml, errors: Errors): SafeHtml {
  const error = errors[name];
  const attrs = error ? html`aria-invalid="true" aria-describedby="${name}-error"` : html``;
  return html`<label for="${name}">${label}</label>
  ${control(attrs)}
  ${error ? html`<p class="field-error" id="${name}-error">${REASON[error] ?? error}</p>` : ''}`;
}

function linesTable(prefix: string, typed: Typed, errors: Errors, caption: string): SafeHtml {
  return html`<fieldset><legend>${caption}</legend>
${Array.from({ length: LINES }, (_, i) => {
  const error = errors[`line-${i}`];
  return html`<div class="row budget-line">
<label for="${prefix}-label-${i}">Ligne ${i + 1}</label><input id="${prefix}-label-${i}" name="line-label-${i}" maxlength="120" value="${typed[`line-label-${i}`] ?? ''}" ${error ? html`aria-invalid="true" aria-describedby="line-${i}-error"` : ''}>
<label for="${prefix}-amount-${i}">Montant (FCFA)</label><input id="${prefix}-amount-${i}" name="line-amount-${i}" inputmode="numeric" value="${typed[`line-amount-${i}`] ?? ''}">
${error ? html`<p class="field-error" id="line-${i}-error">${REASON[error] ?? error}</p>` : ''}</div>`;
})}
${errors.lines ? html`<p class="field-error" id="lines-error">${REASON[errors.lines] ?? errors.lines}</p>` : ''}</fieldset>`;
}

const linesOf = (req: Request) => Array.from({ length: LINES }, (_, i) => ({ label: field(req, `line-label-${i}`), amount: field(req, `line-amount-${i}`) }));
const filesOf = (req: Request, name: string): UploadedFile[] =>
  ((req.files as Record<string, Express.Multer.File[]> | undefined)?.[name] ?? []).map((f) => ({ bytes: new Uint8Array(f.buffer) }));
const typedOf = (req: Request): Typed => Object.fromEntries(Object.entries(formTexts(req.body)).filter(([k]) => k !== '_csrf'));

function notice(errors: Errors): SafeHtml {
  const n = Object.keys(errors).length;
  if (!n) return html``;
  const general = errors.call ? REASON[errors.call] : undefined;
  return html`<p class="error" role="alert">${general ?? `Rien n’est enregistré : corrigez ${n > 1 ? 'les champs signalés' : 'le champ signalé'} ci-dessous.`}</p>`;
}

async function applyForm(s: AdminServices, session: Session, c: Call, errors: Errors = {}, typed: Typed = {}): Promise<SafeHtml> {
  const names = await s.deps.grants.communeNames(c);
  const open = s.deps.grants.isOpen(c);
  const body = html`<p><a href="${BASE}">← Appels</a></p>
<p class="meta">${c.title.fr} · jusqu’au ${c.deadline} · ${fcfa(c.maxPerGrant)} au plus par initiative</p>
${notice(errors)}
${
  open || Object.keys(errors).length
    ? html`<form method="post" action="${BASE}/${slugOf(c._id)}/candidature" enctype="multipart/form-data" class="stack" novalidate data-recorder>
${csrfField(session)}
${row('organisation', 'Nom de l’organisation', (a) => html`<input id="organisation" name="organisation" required maxlength="120" value="${typed.organisation ?? ''}" ${a}>`, errors)}
${row('kind', 'Type d’organisation', () => select('kind', [['', '— choisir —'], ...APPLICANT_KINDS.map((k) => [k, `${APPLICANT_KIND_LABELS[k] ?? k}${c.eligible.includes(k) ? '' : ' (non éligible)'}`] as const)], typed.kind, { required: true }), errors)}
${row('commune', 'Commune', () => select('commune', [['', '— choisir —'], ...c.communes.map((x) => [x, names.get(x) ?? x] as const)], typed.commune, { required: true }), errors)}
${row('contactName', 'Personne à contacter (donnée personnelle : vue par l’équipe et le jury seulement)', (a) => html`<input id="contactName" name="contactName" maxlength="80" value="${typed.contactName ?? ''}" ${a}>`, errors)}
${row('contactPhone', 'Son téléphone', (a) => html`<input id="contactPhone" name="contactPhone" inputmode="tel" maxlength="16" value="${typed.contactPhone ?? ''}" ${a}>`, errors)}
${row('title', 'Titre du projet', (a) => html`<input id="title" name="title" maxlength="160" value="${typed.title ?? ''}" ${a}>`, errors)}
${row('text', 'Le projet en quelques paragraphes (ou la voix ci-dessous)', (a) => html`<textarea id="text" name="text" rows="6" maxlength="4000" ${a}>${typed.text ?? ''}</textarea>`, errors)}
${row('voice', 'Le projet raconté de vive voix (facultatif)', (a) => html`<input id="voice" name="voice" type="file" accept="audio/*" capture ${a}>`, errors)}
${linesTable('b', typed, errors, `Budget (total ${fcfa(c.maxPerGrant)} au plus ; aucun montant négatif)`)}
${c.documents.map((d, i) =>
  row(
    `doc-${i}`,
    `${d.label.fr} (${d.types.map((t) => TYPE_LABEL[t] ?? t).join(' ou ')}, ${GRANT_FILE_MAX_BYTES / 1_000_000} Mo au plus)${d.required ? ' — demandé' : ''}`,
    (a) => html`<input id="doc-${i}" name="doc-${i}" type="file" accept="${d.types.join(',')}" ${a}>`,
    errors
  )
)}
${Object.keys(errors).length ? html`<p class="hint">Les fichiers ne sont pas gardés après un refus : choisissez-les de nouveau.</p>` : ''}
<button type="submit">Déposer la candidature</button></form>`
    : html`<p>La date limite est passée (${c.deadline}) : cet appel ne prend plus de candidature.</p>`
}`;
  return page({ title: `Candidature : ${c.title.fr}`, session, spaceName: s.deps.config.spaceName, body });
}

function reportForm(session: Session, app: Application, errors: Errors = {}, typed: Typed = {}): SafeHtml {
  return html`<h2>Rapport d’avancement et de dépenses</h2>
${notice(errors)}
<form method="post" action="${appUrl(app._id)}/rapport" enctype="multipart/form-data" class="stack" novalidate data-recorder>
${csrfField(session)}
${row('text', 'Ce qui a été fait', (a) => html`<textarea id="text" name="text" rows="5" maxlength="4000" ${a}>${typed.text ?? ''}</textarea>`, errors)}
${row('voice', 'Ou raconté de vive voix', (a) => html`<input id="voice" name="voice" type="file" accept="audio/*" capture ${a}>`, errors)}
${row('done', 'Part réalisée (%)', (a) => html`<input id="done" name="done" inputmode="decimal" value="${typed.done ?? ''}" ${a}>`, errors)}
${linesTable('r', typed, errors, 'Dépenses (aucun montant négatif)')}
${row('evidence', `Preuves : photo ou document (PDF, JPEG, PNG ; ${GRANT_FILE_MAX_BYTES / 1_000_000} Mo au plus chacune)`, (a) => html`<input id="evidence" name="evidence" type="file" multiple accept="application/pdf,image/jpeg,image/png" ${a}>`, errors)}
<button type="submit">Envoyer le rapport</button></form>`;
}

async function applicationPage(s: AdminServices, req: Request, res: Response, errors: Errors = {}, typed: Typed = {}): Promise<SafeHtml> {
  const session = sessionOf(res)!;
  const g = s.deps.grants;
  const app = await g.application(param(req, 'id'));
  const c = await g.call(app.call);
  const funded = g.fundedBy(c, app._id);
  const ranked = c.results?.ranking.find((r) => r.application === app._id);
  const reports = await g.reports(app._id);
  const body = html`<p><a href="${BASE}">← Appels</a></p>
<p class="meta">${c.title.fr} · ${APPLICANT_KIND_LABELS[app.kind] ?? app.kind} · commune ${app.commune} · déposée le ${when(app.createdAt)} par ${app.by}</p>
<p class="meta">Contact : ${app.contact.name}, ${app.contact.phone}</p>
<h2>${app.title}</h2>${app.text ? html`<p>${app.text}</p>` : ''}
${Object.keys(app._attachments ?? {}).some((k) => k.startsWith('voice.')) ? html`<p><audio controls preload="none" src="${appUrl(app._id)}/fichier/${Object.keys(app._attachments!).find((k) => k.startsWith('voice.'))}"></audio></p>` : ''}
<table class="list"><thead><tr><th>Ligne</th><th>Montant</th></tr></thead><tbody>${app.lines.map((l) => html`<tr><td>${l.label}</td><td>${fcfa(l.amount)}</td></tr>`)}<tr><th>Total</th><th>${fcfa(app.total)}</th></tr></tbody></table>
<p>Pièces : ${app.documents.length ? app.documents.map((d) => html`<a href="${appUrl(app._id)}/fichier/${d.name}">${d.name}</a> `) : 'aucune'}</p>
<p><b>Résultat :</b> ${ranked ? (funded !== null ? `financée, ${fcfa(funded)} (rang ${ranked.rank}, score ${ranked.score}/100)` : `non financée (rang ${ranked.rank}, score ${ranked.score}/100)`) : 'pas encore publié'}</p>
${reports.length ? html`<h2>Rapports envoyés</h2><ul>${reports.map((r) => html`<li>${when(r.createdAt)} · ${r.done} % · ${fcfa(r.spent)} dépensés${r.text ? ` · ${r.text.slice(0, 120)}` : ''}</li>`)}</ul>` : ''}
${funded !== null ? reportForm(session, app, errors, typed) : ''}`;
  return page({ title: app.organisation, session, spaceName: s.deps.config.spaceName, body });
}

/**
 * Calls for local initiatives in the hub's console (issue 15): the facilitator helps an
 * organisation apply (text or voice, budget lines, the documents the call asks for, checked by
 * their bytes), and a funded initiative report its progress and spending. Contacts are personal:
 * staff only here, jurors and administrators at central.
 */
export const grantRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: BASE,
    roles: GRANTS,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      const g = s.deps.grants;
      const [calls, apps] = await Promise.all([g.calls(), g.applications()]);
      const body = html`<p class="hint">Les appels à initiatives locales publiés par le programme. Aidez une organisation à déposer sa candidature avant la date limite ; une initiative financée envoie ses rapports d’avancement et de dépenses d’ici.</p>
${calls.length ? '' : html`<p>Aucun appel pour le moment.</p>`}
${calls.map((c) => {
  const mine = apps.filter((a) => a.call === c._id);
  return html`<section class="card"><h2>${c.title.fr}</h2>
<p class="meta">${c.opens} → ${c.deadline} · budget ${fcfa(c.budget)} · ${fcfa(c.maxPerGrant)} au plus par initiative · ${g.isOpen(c) ? 'ouvert' : c.results ? 'résultats publiés' : 'fermé'}</p>
${g.isOpen(c) ? html`<p><a class="btn" href="${BASE}/${slugOf(c._id)}/candidature">Déposer une candidature</a></p>` : ''}
${mine.length ? html`<ul>${mine.map((a) => html`<li><a href="${appUrl(a._id)}">${a.organisation}</a> · ${a.title} · ${fcfa(a.total)} · ${when(a.createdAt)}${g.fundedBy(c, a._id) !== null ? ' · financée' : ''}</li>`)}</ul>` : html`<p class="meta">Aucune candidature déposée ici.</p>`}</section>`;
})}`;
      return { page: page({ title: 'Appels à initiatives locales', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/:slug/candidature`,
    roles: GRANTS,
    example: { slug: 'appel-test' },
    async handle(s, req, res) {
      const c = await s.deps.grants.call(`call:${param(req, 'slug')}`);
      return { page: await applyForm(s, sessionOf(res)!, c) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/:slug/candidature`,
    roles: GRANTS,
    body: 'multipart',
    files: [{ name: 'voice', maxCount: 1 }, ...Array.from({ length: 10 }, (_, i) => ({ name: `doc-${i}`, maxCount: 1 }))],
    action: 'grant.apply',
    example: { slug: 'appel-test' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const g = s.deps.grants;
      const c = await g.call(`call:${param(req, 'slug')}`);
      const input: ApplicationInput = {
        organisation: field(req, 'organisation'),
        kind: field(req, 'kind'),
        commune: field(req, 'commune'),
        contactName: field(req, 'contactName'),
        contactPhone: field(req, 'contactPhone'),
        title: field(req, 'title'),
        text: field(req, 'text'),
        lines: linesOf(req),
        documents: c.documents.map((_, i) => filesOf(req, `doc-${i}`)[0]),
        voice: filesOf(req, 'voice')[0],
      };
      try {
        const app = await g.apply(c._id, input, session.username);
        return {
          redirect: appUrl(app._id),
          flash: `Candidature de ${app.organisation} enregistrée : elle part à Bamako avec la prochaine synchronisation.`,
          audit: { target: app._id, detail: `${app.organisation}, ${app.total} FCFA` },
        };
      } catch (e) {
        if (e instanceof GrantRefused) return { page: await applyForm(s, session, c, e.fields, typedOf(req)), status: 422 };
        throw e;
      }
    },
  },
  {
    method: 'GET',
    path: `${BASE}/candidatures/:id`,
    roles: GRANTS,
    example: { id: 'kayes-demo:application:000000000000' },
    async handle(s, req, res) {
      return { page: await applicationPage(s, req, res) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/candidatures/:id/fichier/:name`,
    roles: GRANTS,
    example: { id: 'kayes-demo:application:000000000000', name: 'voice.webm' },
    async handle(s, req, res) {
      const f = await s.deps.grants.attachment(param(req, 'id'), param(req, 'name'));
      if (!f) throw new AppError(404, 'not-found', 'no such file');
      res
        .type(f.mime)
        .set({
          'Content-Security-Policy': "sandbox; default-src 'none'",
          'X-Content-Type-Options': 'nosniff',
          'Content-Disposition': f.mime.startsWith('audio/') ? 'inline' : 'attachment',
        })
        .send(f.data);
    },
  },
  {
    method: 'POST',
    path: `${BASE}/candidatures/:id/rapport`,
    roles: GRANTS,
    body: 'multipart',
    files: [
      { name: 'voice', maxCount: 1 },
      { name: 'evidence', maxCount: 5 },
    ],
    action: 'grant.report',
    example: { id: 'kayes-demo:application:000000000000' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const id = param(req, 'id');
      try {
        const r = await s.deps.grants.report(
          id,
          { text: field(req, 'text'), done: field(req, 'done'), lines: linesOf(req), evidence: filesOf(req, 'evidence'), voice: filesOf(req, 'voice')[0] },
          session.username
        );
        return {
          redirect: appUrl(id),
          flash: 'Rapport enregistré : il part à Bamako avec la prochaine synchronisation.',
          audit: { target: id, detail: `${r.done} %, ${r.spent} FCFA` },
        };
      } catch (e) {
        if (e instanceof GrantRefused) return { page: await applicationPage(s, req, res, e.fields, typedOf(req)), status: 422 };
        throw e;
      }
    },
  },
];
