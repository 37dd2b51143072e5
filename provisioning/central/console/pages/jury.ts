import { AppError, APPLICANT_KINDS, assessmentId, GRANT_DOCUMENT_KINDS, type Application, type Assessment, type Call } from '../../../../content/index.js';
import { actionButton, APPLICANT_KIND_LABELS, csrfField, html, sendCsvText, when, type Value, formFields, formText } from '../../../../hub/index.js';
import {
  weightOf,
  applicationsCsv,
  applicationWithFiles,
  callDoc,
  callFromForm,
  CRITERIA_ROWS,
  DOCUMENT_ROWS,
  calls,
  declare,
  isOpen,
  JuryRefused,
  juryRecords,
  publishReports,
  publishResults,
  rankApplications,
  score,
} from '../../grants/index.js';
import { BASE } from '../layout.js';
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../page-table.js';

const PATH = `${BASE}/jury`;
const APP = /^[a-z0-9][a-z0-9-]{1,39}:application:[0-9a-z]{6,40}$/;
const CALL = /^call:[a-z0-9][a-z0-9-]{0,80}$/;
const FILE = /^(voice|doc-\d{1,2}-[a-z]+)\.[a-z0-9]{2,4}$/;
const fcfa = (n: number) => `${new Intl.NumberFormat('fr-FR').format(n)} FCFA`;
const num = (n: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(n);
const callUrl = (id: string) => `${PATH}/appel/${encodeURIComponent(id)}`;
const appUrl = (id: string) => `${PATH}/candidature/${encodeURIComponent(id)}`;

const paramOf = (c: ConsoleContext, name: string, shape: RegExp): string => {
  const v = String(c.req.params[name] ?? '');
  if (!shape.test(v)) throw new AppError(404, 'not-found', 'Cette candidature ou cet appel n’existe pas.');
  return v;
};
const field = (c: ConsoleContext, name: string): string => {
  return formText(c.req.body, name) ?? '';
};
const isJuror = (c: ConsoleContext) => c.session!.roles.includes('jury');
const isEditor = (c: ConsoleContext) => c.session!.roles.includes('editor');

function stateOf(a: Assessment | undefined): string {
  if (!a) return 'à déclarer';
  if (a.conflict) return 'conflit déclaré';
  return a.scores ? 'notée' : 'à noter';
}

/** The calls, each with its applications and how far the jury got. */
async function home(c: ConsoleContext): Promise<ConsoleResult> {
  const [all, recs] = await Promise.all([calls(c.central), juryRecords(c.central)]);
  const me = c.session!.username;
  const body = html`<p class="hint">Chaque juré·e déclare, pour chaque candidature, un conflit d’intérêts ou son absence, puis note chaque critère de la grille. Central refuse toute note d’un·e juré·e qui a déclaré un conflit.</p>
${all.length ? '' : html`<p>Aucun appel publié.</p>`}
<table class="list"><thead><tr><th>Appel</th><th>Ouvert</th><th>Budget</th><th>Candidatures</th><th>Mes déclarations / notes</th><th>Résultats</th></tr></thead><tbody>
${all.map((k) => {
  const apps = recs.applications.filter((a) => a.call === k._id);
  const mine = recs.assessments.filter((a) => a.call === k._id && a.juror === me);
  return html`<tr><td><a href="${callUrl(k._id)}">${k.title.fr}</a></td><td>${k.opens} → ${k.deadline}${isOpen(k) ? ' (ouvert)' : ''}</td><td>${fcfa(k.budget)}</td><td>${apps.length}</td><td>${mine.length} / ${mine.filter((a) => a.scores).length}</td><td>${k.results ? `publiés le ${when(k.results.publishedAt)}` : '—'}</td></tr>`;
})}</tbody></table>
${isEditor(c) ? html`<p><a class="btn" href="${PATH}/nouvel-appel">Nouvel appel</a></p>` : ''}
${isEditor(c) ? html`<h2>Rapports des initiatives financées</h2><p>Les rapports arrivés des espaces sont publiés dans leur appel, pour tous les espaces.</p>${actionButton(c.session!, `${PATH}/rapports`, 'Publier les rapports arrivés')}` : ''}`;
  return { page: c.page('Jury des appels à initiatives locales', body) };
}

async function callPage(c: ConsoleContext): Promise<ConsoleResult> {
  const id = paramOf(c, 'call', CALL);
  const k = await callDoc(c.central, id);
  const recs = await juryRecords(c.central, id);
  const me = c.session!.username;
  const { ranking } = k.results ?? rankApplications(k, recs.applications, recs.assessments);
  const apps = new Map(recs.applications.map((a) => [a._id, a]));
  const body = html`<p><a href="${PATH}">← Tous les appels</a></p>
<p class="meta">${k.opens} → ${k.deadline} · budget ${fcfa(k.budget)} · ${fcfa(k.maxPerGrant)} au plus par initiative · pour : ${k.eligible.map((e) => APPLICANT_KIND_LABELS[e] ?? e).join(', ')} · communes : ${k.communes.join(', ')}</p>
<h2>Grille</h2><ul>${k.criteria.map((x) => html`<li>${x.label.fr} : ${x.max} points, poids ${num(weightOf(x))}</li>`)}</ul>
<h2>Candidatures (${recs.applications.length})</h2>
<table class="list"><thead><tr><th>Rang</th><th>Organisation</th><th>Espace</th><th>Commune</th><th>Demandé</th><th>Score</th><th>Jurés</th>${isJuror(c) ? html`<th>Moi</th>` : ''}<th>${k.results ? 'Accordé' : 'Dans le budget'}</th></tr></thead><tbody>
${ranking.map((r) => {
  const mine = recs.assessments.find((a) => a.application === r.application && a.juror === me);
  return html`<tr><td>${r.rank}</td><td><a href="${appUrl(r.application)}">${r.organisation}</a> <small>${APPLICANT_KIND_LABELS[r.kind] ?? r.kind}</small></td><td>${r.hub}</td><td>${r.commune}</td><td>${fcfa(r.requested)}</td><td>${num(r.score)}</td><td>${r.jurors}</td>${isJuror(c) ? html`<td>${stateOf(mine)}</td>` : ''}<td>${r.funded ? fcfa(r.amount) : '—'}</td></tr>`;
})}</tbody></table>
${apps.size ? '' : html`<p>Aucune candidature n’est encore arrivée à central.</p>`}
<p><a href="${callUrl(id)}/csv">Exporter les candidatures et leurs notes (CSV)</a></p>
${
  isEditor(c)
    ? html`<h2>Résultats</h2>${k.results ? html`<p>Publiés le ${when(k.results.publishedAt)} par ${k.results.by} : ${fcfa(k.results.fundedTotal)} accordés.</p>` : ''}
${new Date().toISOString().slice(0, 10) <= k.deadline ? html`<p>Les résultats se publient après la date limite (${k.deadline}).</p>` : actionButton(c.session!, `${callUrl(id)}/resultats`, k.results ? 'Republier les résultats' : 'Publier les résultats')}`
    : ''
}`;
  return { page: c.page(k.title.fr, body) };
}

function declarationForm(c: ConsoleContext, app: Application): Value {
  return html`<form method="post" action="${appUrl(app._id)}/declarer" class="stack">${csrfField(c.session!)}
<fieldset><legend>Conflit d’intérêts (à déclarer avant de noter)</legend>
<label class="check"><input type="radio" name="conflict" value="non" required> Je n’ai aucun lien avec cette organisation ni avec ses membres</label>
<label class="check"><input type="radio" name="conflict" value="oui"> J’ai un conflit d’intérêts : je ne note pas cette candidature</label></fieldset>
<label for="note">Précision (facultatif)</label><input id="note" name="note" maxlength="300">
<button type="submit">Enregistrer la déclaration</button></form>`;
}

function scoreForm(
  c: ConsoleContext,
  k: Call,
  app: Application,
  mine: Assessment,
  errors: Record<string, string> = {},
  typed: Record<string, string> = {}
): Value {
  const value = (id: string) => typed[id] ?? (mine.scores?.[id] !== undefined ? String(mine.scores[id]).replace('.', ',') : '');
  return html`<form method="post" action="${appUrl(app._id)}/noter" class="stack" novalidate>${csrfField(c.session!)}
${Object.keys(errors).length ? html`<p class="error" role="alert">La note n’a pas été enregistrée : corrigez ce qui est indiqué.</p>` : ''}
${k.criteria.map(
  (x) => html`<label for="s-${x.id}">${x.label.fr} (0 à ${x.max} points, poids ${num(weightOf(x))})</label>
<input id="s-${x.id}" name="score-${x.id}" inputmode="decimal" value="${value(x.id)}" ${errors[x.id] ? html`aria-invalid="true" aria-describedby="e-${x.id}"` : ''}>
${errors[x.id] ? html`<p class="error" id="e-${x.id}">${errors[x.id]}</p>` : ''}`
)}
<label for="comment">Commentaire</label><textarea id="comment" name="comment" rows="4" maxlength="2000">${typed.comment ?? mine.comment ?? ''}</textarea>
${errors.comment ? html`<p class="error">${errors.comment}</p>` : ''}
<button type="submit">${mine.scores ? 'Modifier mes notes' : 'Enregistrer mes notes'}</button></form>`;
}

async function applicationPage(c: ConsoleContext, errors: Record<string, string> = {}, typed: Record<string, string> = {}): Promise<ConsoleResult> {
  const id = paramOf(c, 'id', APP);
  const { doc: app, files } = await applicationWithFiles(c.central, id);
  const k = await callDoc(c.central, app.call);
  const recs = await juryRecords(c.central, app.call);
  const mine = recs.assessments.find((a) => a._id === assessmentId(id, c.session!.username));
  const others = recs.assessments.filter((a) => a.application === id);
  const voice = files.find((f) => f.name.startsWith('voice.'));
  const docs = files.filter((f) => !f.name.startsWith('voice.'));
  const body = html`<p><a href="${callUrl(app.call)}">← ${k.title.fr}</a></p>
<p class="meta">${app.organisation} · ${APPLICANT_KIND_LABELS[app.kind] ?? app.kind} · commune ${app.commune} · espace ${app.hubId} · déposée le ${when(app.createdAt)} avec ${app.by}</p>
<p class="meta">Contact : ${app.contact.name}, ${app.contact.phone}</p>
${app.text ? html`<p>${app.text}</p>` : ''}
${voice ? html`<p><audio controls preload="none" src="${appUrl(id)}/fichier/${voice.name}"></audio></p>` : ''}
<h2>Budget demandé : ${fcfa(app.total)}</h2>
<table class="list"><thead><tr><th>Ligne</th><th>Montant</th></tr></thead><tbody>${app.lines.map((l) => html`<tr><td>${l.label}</td><td>${fcfa(l.amount)}</td></tr>`)}</tbody></table>
<h2>Pièces jointes</h2>
${docs.length ? html`<ul>${docs.map((f) => html`<li><a href="${appUrl(id)}/fichier/${f.name}">${f.name}</a> (${f.mime}, ${Math.ceil(f.data.length / 1024)} Ko)</li>`)}</ul>` : html`<p>Aucune.</p>`}
<h2>Évaluation</h2>
<p class="meta">${others.filter((a) => a.scores).length} juré·e(s) ont noté, ${others.filter((a) => a.conflict).length} conflit(s) déclaré(s).</p>
${
  !isJuror(c)
    ? ''
    : !mine
      ? declarationForm(c, app)
      : mine.conflict
        ? html`<p class="notice">Vous avez déclaré un conflit d’intérêts${mine.conflictNote ? ` (${mine.conflictNote})` : ''} : vous ne notez pas cette candidature.</p>`
        : scoreForm(c, k, app, mine, errors, typed)
}`;
  return { page: c.page(`Candidature : ${app.title}`, body), status: Object.keys(errors).length ? 422 : 200 };
}

const KIND_OPTIONS: Record<string, string> = {
  statuts: 'statuts',
  recepisse: 'récépissé',
  devis: 'devis',
  budget: 'budget détaillé',
  photo: 'photo',
  lettre: 'lettre',
  autre: 'autre',
};
const FILE_OPTIONS: [string, string][] = [
  ['application/pdf', 'PDF'],
  ['image/jpeg', 'JPEG'],
  ['image/png', 'PNG'],
];

/** The editors' form for a new call: what is typed is kept, each refusal beside its field. */
function callForm(c: ConsoleContext, typed: Record<string, unknown> = {}, errors: Record<string, string> = {}): ConsoleResult {
  const v = (k: string) => {
    const x = typed[k];
    return typeof x === 'string' ? x : '';
  };
  const has = (k: string, value: string) => {
    const x = typed[k];
    return Array.isArray(x) ? x.includes(value) : x === value;
  };
  const err = (k: string) => (errors[k] ? html`<p class="field-error" id="${k}-error">${errors[k]}</p>` : '');
  const inv = (k: string) => (errors[k] ? html`aria-invalid="true" aria-describedby="${k}-error"` : '');
  const body = html`<p><a href="${PATH}">← Jury</a></p>
${Object.keys(errors).length ? html`<p class="error" role="alert">L’appel n’est pas publié : corrigez ${Object.keys(errors).length > 1 ? 'les champs signalés' : 'le champ signalé'} ci-dessous.</p>` : ''}
${err('general')}
<form method="post" action="${PATH}/nouvel-appel" class="stack" novalidate>${csrfField(c.session!)}
<label for="slug">Identifiant (lettres minuscules, chiffres, tirets)</label><input id="slug" name="slug" value="${v('slug')}" ${inv('slug')}>${err('slug')}
<label for="title">Titre (français)</label><input id="title" name="title" maxlength="200" value="${v('title')}" ${inv('title')}>${err('title')}
<label for="title-bm">Titre (bambara, facultatif)</label><input id="title-bm" name="title-bm" maxlength="200" value="${v('title-bm')}">
<label for="text">Texte de l’appel (français)</label><textarea id="text" name="text" rows="5" ${inv('text')}>${v('text')}</textarea>${err('text')}
<label for="budget">Budget total (FCFA)</label><input id="budget" name="budget" inputmode="numeric" value="${v('budget')}" ${inv('budget')}>${err('budget')}
<label for="maxPerGrant">Montant maximum par initiative (FCFA)</label><input id="maxPerGrant" name="maxPerGrant" inputmode="numeric" value="${v('maxPerGrant')}" ${inv('maxPerGrant')}>${err('maxPerGrant')}
<fieldset><legend>Qui peut déposer</legend>${APPLICANT_KINDS.map((k) => html`<label class="check"><input type="checkbox" name="eligible" value="${k}" ${has('eligible', k) ? html`checked` : ''}> ${APPLICANT_KIND_LABELS[k] ?? k}</label>`)}</fieldset>${err('eligible')}
<label for="communes">Communes (identifiants, séparés par des virgules)</label><input id="communes" name="communes" value="${v('communes')}" ${inv('communes')}>${err('communes')}
<label for="opens">Ouverture</label><input id="opens" name="opens" type="date" value="${v('opens')}" ${inv('opens')}>${err('opens')}
<label for="deadline">Date limite</label><input id="deadline" name="deadline" type="date" value="${v('deadline')}" ${inv('deadline')}>${err('deadline')}
<fieldset><legend>Grille de critères</legend>${err('criteria')}
${Array.from(
  { length: CRITERIA_ROWS },
  (
    _,
    i
  ) => html`<div class="row"><label for="crit-id-${i}">Critère ${i + 1} : identifiant</label><input id="crit-id-${i}" name="crit-id-${i}" value="${v(`crit-id-${i}`)}" ${inv(`crit-${i}`)}>
<label for="crit-label-${i}">libellé</label><input id="crit-label-${i}" name="crit-label-${i}" value="${v(`crit-label-${i}`)}">
<label for="crit-max-${i}">points au plus</label><input id="crit-max-${i}" name="crit-max-${i}" inputmode="numeric" value="${v(`crit-max-${i}`)}">
<label for="crit-weight-${i}">poids</label><input id="crit-weight-${i}" name="crit-weight-${i}" inputmode="decimal" placeholder="1" value="${v(`crit-weight-${i}`)}">${err(`crit-${i}`)}</div>`
)}</fieldset>
<fieldset><legend>Pièces à fournir</legend>
${Array.from(
  { length: DOCUMENT_ROWS },
  (
    _,
    i
  ) => html`<div class="row"><label for="doc-kind-${i}">Pièce ${i + 1}</label><select id="doc-kind-${i}" name="doc-kind-${i}">${GRANT_DOCUMENT_KINDS.map((k) => html`<option value="${k}" ${v(`doc-kind-${i}`) === k ? html`selected` : ''}>${KIND_OPTIONS[k] ?? k}</option>`)}</select>
<label for="doc-label-${i}">nom</label><input id="doc-label-${i}" name="doc-label-${i}" value="${v(`doc-label-${i}`)}" ${inv(`doc-${i}`)}>
${FILE_OPTIONS.map(([t, l]) => html`<label class="check"><input type="checkbox" name="doc-types-${i}" value="${t}" ${has(`doc-types-${i}`, t) ? html`checked` : ''}> ${l}</label>`)}
<label class="check"><input type="checkbox" name="doc-required-${i}" value="oui" ${has(`doc-required-${i}`, 'oui') ? html`checked` : ''}> demandée</label>${err(`doc-${i}`)}</div>`
)}</fieldset>
<button type="submit">Publier l’appel pour tous les espaces</button></form>`;
  return { page: c.page('Nouvel appel à initiatives locales', body), status: Object.keys(errors).length ? 422 : 200 };
}

/**
 * The jury of the calls for local initiatives (issue 15): jurors read the applications (text,
 * voice, budget, attachments), declare a conflict of interest or its absence, then score each
 * criterion with a comment — every write as themselves, so central's rules hold; editors
 * publish the results and the funded initiatives' reports; the CSV for French Excel.
 */
export const juryPage: ConsolePage = {
  nav: { href: PATH, label: 'Jury', order: 35 },
  routes: [
    { method: 'GET', path: PATH, roles: ['jury', 'editor'], handle: home },
    { method: 'GET', path: `${PATH}/nouvel-appel`, roles: ['editor'], handle: (c) => Promise.resolve(callForm(c)) },
    {
      method: 'POST',
      path: `${PATH}/nouvel-appel`,
      roles: ['editor'],
      action: 'grants.call',
      async handle(c) {
        const typed = formFields(c.req.body);
        delete typed._csrf;
        const { call, errors } = callFromForm(typed);
        if (!call) return callForm(c, typed, errors);
        const res = await c.central(`content/${encodeURIComponent(call._id)}`, { method: 'PUT', body: call });
        if (res.status === 409) return callForm(c, typed, { slug: 'Un appel porte déjà cet identifiant : choisissez-en un autre.' });
        if (res.status !== 201 && res.status !== 202) {
          const why = (res.body as { reason?: string }).reason ?? `HTTP ${res.status}`;
          return callForm(c, typed, { general: `Central a refusé l’appel : ${why}` });
        }
        return {
          redirect: callUrl(call._id),
          flash: 'Appel publié : tous les espaces le verront à leur prochaine synchronisation.',
          audit: { target: call._id, detail: `${call.budget} FCFA, ${call.opens} → ${call.deadline}` },
        };
      },
    },
    { method: 'GET', path: `${PATH}/appel/:call`, roles: ['jury', 'editor'], example: { call: 'call:appel-test' }, handle: callPage },
    {
      method: 'GET',
      path: `${PATH}/appel/:call/csv`,
      roles: ['jury', 'editor', 'analyst'],
      example: { call: 'call:appel-test' },
      async handle(c) {
        const id = paramOf(c, 'call', CALL);
        const [k, recs] = await Promise.all([callDoc(c.central, id), juryRecords(c.central, id)]);
        sendCsvText(c.res, `candidatures-${id.slice(5)}.csv`, applicationsCsv(k, recs));
      },
    },
    {
      method: 'GET',
      path: `${PATH}/candidature/:id`,
      roles: ['jury', 'editor'],
      example: { id: 'kayes-01:application:0mhz3k0x1000' },
      handle: (c) => applicationPage(c),
    },
    {
      method: 'GET',
      path: `${PATH}/candidature/:id/fichier/:name`,
      roles: ['jury', 'editor'],
      example: { id: 'kayes-01:application:0mhz3k0x1000', name: 'voice.webm' },
      async handle(c) {
        const name = paramOf(c, 'name', FILE);
        const { files } = await applicationWithFiles(c.central, paramOf(c, 'id', APP));
        const f = files.find((x) => x.name === name);
        if (!f) throw new AppError(404, 'not-found', 'Cette pièce jointe n’existe pas.');
        c.res
          .type(f.mime)
          .set({
            'Content-Security-Policy': "sandbox; default-src 'none'",
            'X-Content-Type-Options': 'nosniff',
            'Content-Disposition': `${f.mime.startsWith('audio/') ? 'inline' : 'attachment'}; filename="${name}"`,
          })
          .send(f.data);
      },
    },
    {
      method: 'POST',
      path: `${PATH}/candidature/:id/declarer`,
      roles: ['jury'],
      action: 'jury.declare',
      example: { id: 'kayes-01:application:0mhz3k0x1000' },
      async handle(c) {
        const id = paramOf(c, 'id', APP);
        const answer = field(c, 'conflict');
        if (answer !== 'oui' && answer !== 'non') throw new AppError(422, 'declare-required', 'Choisissez : conflit d’intérêts ou aucun lien.');
        const { doc } = await applicationWithFiles(c.central, id);
        await declare(c.central, c.session!.username, doc, answer === 'oui', field(c, 'note'));
        return {
          redirect: appUrl(id),
          flash: answer === 'oui' ? 'Conflit d’intérêts enregistré : vous ne notez pas cette candidature.' : 'Déclaration enregistrée : vous pouvez noter.',
          audit: { target: id, detail: answer === 'oui' ? `conflit${field(c, 'note') ? ` : ${field(c, 'note').slice(0, 200)}` : ''}` : 'aucun conflit' },
        };
      },
    },
    {
      method: 'POST',
      path: `${PATH}/candidature/:id/noter`,
      roles: ['jury'],
      action: 'jury.score',
      example: { id: 'kayes-01:application:0mhz3k0x1000' },
      async handle(c) {
        const id = paramOf(c, 'id', APP);
        const { doc } = await applicationWithFiles(c.central, id);
        const k = await callDoc(c.central, doc.call);
        const typed: Record<string, string> = Object.fromEntries(k.criteria.map((x) => [x.id, field(c, `score-${x.id}`)]));
        try {
          await score(c.central, c.session!.username, k, doc, typed, field(c, 'comment'));
        } catch (e) {
          if (e instanceof JuryRefused) return applicationPage(c, e.fields, { ...typed, comment: field(c, 'comment') });
          throw e;
        }
        return { redirect: appUrl(id), flash: 'Notes enregistrées.', audit: { target: id, detail: k.criteria.map((x) => `${x.id}=${typed[x.id]}`).join(' ') } };
      },
    },
    {
      method: 'POST',
      path: `${PATH}/appel/:call/resultats`,
      roles: ['editor'],
      action: 'grants.results',
      example: { call: 'call:appel-test' },
      async handle(c) {
        const id = paramOf(c, 'call', CALL);
        const r = await publishResults(c.central, id, c.session!.username);
        const funded = r.ranking.filter((x) => x.funded);
        return {
          redirect: callUrl(id),
          flash: `Résultats publiés : ${funded.length} initiative(s) financée(s), ${fcfa(r.fundedTotal)}. Tous les espaces les verront à leur prochaine synchronisation.`,
          audit: {
            target: id,
            detail: funded
              .map((x) => `${x.organisation} ${x.amount}`)
              .join('; ')
              .slice(0, 500),
          },
        };
      },
    },
    {
      method: 'POST',
      path: `${PATH}/rapports`,
      roles: ['editor'],
      action: 'grants.reports',
      async handle(c) {
        const n = await publishReports(c.central, c.session!.username);
        return { redirect: PATH, flash: `${n} rapport(s) publié(s).`, audit: { detail: `${n} rapport(s)` } };
      },
    },
  ],
};
