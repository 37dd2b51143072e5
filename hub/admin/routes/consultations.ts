import type { Request } from 'express';
import { AGE_BANDS, AppError, CHANNELS, isAppError, parseContentDoc, type Channel, type Consultation } from '../../../content/index.js';
import { putDoc } from '../../storage/index.js';
import { sessionOf, type Session } from '../../auth/index.js';
import { AGE_KEYS, SEX_KEYS, formatShare, type ConsultationTally } from '../../indicators/index.js';
import { sendCsv } from '../csv-response.js';
import { breakdownTable } from '../breakdown-table.js';
import { barChart } from '../charts.js';
import { field, param, slugFrom } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { actionButton, ageLabel, csrfField, page, select, SEX_OPTIONS, when } from '../layout.js';
import { adminPage, adminPager } from '../pager.js';
import { STAFF, type AdminRoute, type AdminServices } from '../route-table.js';

type ConsultationDoc = Consultation & { _rev?: string };

const isLocal = (s: AdminServices, id: string) => id.startsWith(`consultation:${s.deps.config.hubId}-`);
const url = (id: string) => `/admin/consultations/${encodeURIComponent(id.slice('consultation:'.length))}`;

function state(c: Consultation, now = Date.now()): 'upcoming' | 'open' | 'closed' {
  if (now < Date.parse(c.opensAt)) return 'upcoming';
  return now > Date.parse(c.closesAt) ? 'closed' : 'open';
}
const STATE_LABEL = { upcoming: 'à venir', open: 'ouverte', closed: 'fermée' } as const;

async function load(s: AdminServices, req: Request): Promise<ConsultationDoc> {
  const id = `consultation:${param(req, 'slug')}`;
  const doc = await s.deps.catalog.maybe(id);
  if (!doc || doc.type !== 'consultation') throw new AppError(404, 'consultation-not-found', `no consultation "${id.slice(0, 90)}" on this hub`);
  return doc;
}

/**
 * Consultations published by central run across many hubs, and central adds their votes up:
 * closing one early on a single hub would skew the region's result, so they are read-only
 * here and only consultations made on this hub are opened and closed from the console.
 */
function mustBeLocal(s: AdminServices, c: Consultation): void {
  if (!isLocal(s, c._id))
    throw new AppError(403, 'consultation-read-only', 'this consultation was published by central for several spaces; it opens and closes there');
}

async function save(s: AdminServices, doc: Record<string, unknown>): Promise<ConsultationDoc> {
  const checked = parseContentDoc({ ...doc, updatedAt: new Date().toISOString() }, 'consultation') as ConsultationDoc;
  await putDoc(s.deps.dbs.content, checked);
  return checked;
}

/** This hub's votes in a consultation, by option, sex, age band and commune (running tallies: no scan of every vote). */
function tally(s: AdminServices, c: Consultation): Promise<ConsultationTally> {
  return s.deps.submissions.tally(c, s.deps.config.hubId);
}

const CHANNEL_LABEL: Record<Channel, string> = { web: 'téléphones (Wi-Fi)', kiosk: 'borne', sms: 'SMS', paper: 'bulletins papier' };

/** Paper ballots counted at a meeting, entered as votes with the channel "paper". */
function paperForm(session: Session, c: Consultation): SafeHtml {
  return html`<form method="post" action="${url(c._id)}/paper" class="stack">
  ${csrfField(session)}
  <h2>Saisir des bulletins papier</h2>
  <label for="paper-option">Réponse</label>${select(
    'option',
    c.options.map((o) => [o.id, o.label.fr] as const),
    undefined,
    { required: true, id: 'paper-option' }
  )}
  <label for="paper-sex">Sexe</label>${select('sex', [['', 'non dit'], ...SEX_OPTIONS], '', { id: 'paper-sex' })}
  <label for="paper-age">Âge</label>${select('ageBand', [['', 'non dit'], ...AGE_BANDS.filter((b) => b !== '0-14').map((b) => [b, ageLabel(b)] as const)], '', { id: 'paper-age' })}
  <label for="paper-count">Nombre de bulletins identiques</label><input id="paper-count" name="count" type="number" min="1" max="500" value="1" required>
  <button type="submit">Ajouter les bulletins</button>
</form>`;
}

function newForm(session: Session, error?: string, typed: Record<string, string> = {}): SafeHtml {
  return html`
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/consultations" class="stack">
  ${csrfField(session)}
  <label for="question">Question (français)</label>
  <input id="question" name="question" required maxlength="300" value="${typed.question ?? ''}">
  <label for="options">Réponses possibles (une par ligne, 2 à 12)</label>
  <textarea id="options" name="options" rows="4" required>${typed.options ?? ''}</textarea>
  <label for="closesAt">Fermeture (date)</label>
  <input id="closesAt" name="closesAt" type="date" required value="${typed.closesAt ?? ''}">
  <label class="choice"><input type="checkbox" name="resultsPublic" value="yes"> Résultats visibles pendant la consultation</label>
  <button type="submit">Ouvrir la consultation</button>
</form>`;
}

export const consultationRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/consultations',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      // Last opened first, a page at a time: only the page's docs are read.
      const digest = s.deps.digest;
      const order = (await digest.of('consultation')).sorted('opening', (a, b) => b.opensAt.localeCompare(a.opensAt) || a.id.localeCompare(b.id));
      const slice = adminPage(req, order.length);
      const all = await digest.docs(
        'consultation',
        order.slice(slice.start, slice.end).map((c) => c.id)
      );
      const body = html`
<p><a class="button" href="/admin/consultations/new">Nouvelle consultation</a></p>
<table class="list">
<thead><tr><th>Question</th><th>État</th><th>Ouverture</th><th>Fermeture</th><th>Origine</th></tr></thead>
<tbody>${all.map(
        (c) =>
          html`<tr><td><a href="${url(c._id)}">${c.question.fr}</a></td><td>${STATE_LABEL[state(c)]}</td><td>${when(c.opensAt)}</td><td>${when(c.closesAt)}</td><td>${isLocal(s, c._id) ? 'cet espace' : 'central'}</td></tr>`
      )}</tbody>
</table>
${adminPager('/admin/consultations', slice)}`;
      return { page: page({ title: 'Consultations', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/consultations/new',
    roles: STAFF,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      return { page: page({ title: 'Nouvelle consultation', session, spaceName: s.deps.config.spaceName, body: newForm(session) }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/consultations',
    roles: STAFF,
    action: 'consultation.create',
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const hubId = s.deps.config.hubId;
      const question = field(req, 'question');
      const labels = field(req, 'options')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
      const closes = field(req, 'closesAt');
      const now = new Date().toISOString();
      const doc = {
        _id: `consultation:${hubId}-${slugFrom(question, 80 - hubId.length)}`,
        type: 'consultation',
        audience: { hubs: [hubId] },
        question: { fr: question },
        commune: s.deps.config.commune,
        options: labels.map((label, i) => ({ id: `${slugFrom(label, 20).replace(/-[0-9a-z]+$/, '')}-${i + 1}`, label: { fr: label } })),
        opensAt: now,
        closesAt: /^\d{4}-\d{2}-\d{2}$/.test(closes) ? `${closes}T23:59:59Z` : closes,
        resultsPublic: field(req, 'resultsPublic') === 'yes',
      };
      try {
        const saved = await save(s, doc);
        return { redirect: url(saved._id), flash: 'Consultation ouverte.', audit: { target: saved._id } };
      } catch (e) {
        if (!isAppError(e) || e.status !== 422) throw e;
        const typed = { question, options: field(req, 'options'), closesAt: closes };
        return {
          page: page({ title: 'Nouvelle consultation', session, spaceName: s.deps.config.spaceName, body: newForm(session, e.details, typed) }),
          status: 422,
        };
      }
    },
  },
  {
    method: 'GET',
    path: '/admin/consultations/:slug',
    roles: STAFF,
    example: { slug: 'priorites' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const c = await load(s, req);
      const t = await tally(s, c);
      const label = new Map(c.options.map((o) => [o.id, o.label.fr]));
      const communes = Object.keys(t.byCommune).sort();
      const st = state(c);
      const body = html`
<p class="meta">${STATE_LABEL[st]} · du ${when(c.opensAt)} au ${when(c.closesAt)} · ${t.total.total} vote(s) sur cet espace · <a href="${url(c._id)}/results.csv">CSV</a> · ${isLocal(s, c._id) ? 'créée sur cet espace' : 'publiée par central (ouverture et fermeture décidées par central)'}</p>
${
  isLocal(s, c._id)
    ? st === 'closed'
      ? html`<form method="post" action="${url(c._id)}/open" class="row">${csrfField(session)}<label for="closesAt">Rouvrir jusqu’au</label><input id="closesAt" name="closesAt" type="date" required><button type="submit">Rouvrir</button></form>`
      : actionButton(session, `${url(c._id)}/close`, 'Fermer maintenant')
    : ''
}
${c.smsCode ? html`<p>Vote par SMS : <strong>VOTE ${c.smsCode} n°</strong> (KALATA en bambara), ${c.options.map((o, i) => `${i + 1} = ${o.label.fr}`).join(', ')}.</p>` : ''}
${barChart(
  `Votes par réponse : ${c.question.fr}`,
  t.options.map((o) => ({ label: label.get(o.id) ?? o.id, value: o.breakdown.total }))
)}
${breakdownTable('Votes par réponse, sexe et tranche d’âge', [...t.options.map((o) => ({ label: label.get(o.id) ?? o.id, breakdown: o.breakdown })), { label: 'Total', breakdown: t.total }], 'Réponse')}
<table class="figures">
<caption>Votes par réponse et par commune</caption>
<thead><tr><th scope="col">Réponse</th>${communes.map((k) => html`<th scope="col">${k === 'unknown' ? 'commune inconnue' : k}</th>`)}</tr></thead>
<tbody>${t.options.map((o) => html`<tr><th scope="row">${label.get(o.id) ?? o.id}</th>${communes.map((k) => html`<td>${t.optionByCommune[o.id]?.[k] ?? 0}</td>`)}</tr>`)}</tbody>
</table>
${breakdownTable(
  'Votes par canal, sexe et tranche d’âge',
  CHANNELS.map((ch) => ({ label: CHANNEL_LABEL[ch], breakdown: t.channels[ch] })),
  'Canal'
)}
${st !== 'upcoming' ? paperForm(session, c) : ''}`;
      return { page: page({ title: c.question.fr, session, spaceName: s.deps.config.spaceName, body, refreshSeconds: st === 'open' ? 30 : undefined }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/consultations/:slug/results.csv',
    roles: STAFF,
    example: { slug: 'priorites' },
    async handle(s, req, res) {
      const c = await load(s, req);
      const t = await tally(s, c);
      const label = new Map(c.options.map((o) => [o.id, o.label.fr]));
      const communes = Object.keys(t.byCommune).sort();
      const rows = [...t.options.map((o) => ({ id: o.id, label: label.get(o.id) ?? o.id, b: o.breakdown })), { id: 'total', label: 'Total', b: t.total }];
      sendCsv(
        res,
        `consultation-${c._id.slice('consultation:'.length)}-${s.deps.config.hubId}.csv`,
        [
          'réponse',
          'libellé',
          'votes',
          ...SEX_KEYS.map((k) => `sexe ${k}`),
          ...AGE_KEYS.map((k) => `âge ${k}`),
          ...communes.map((k) => `commune ${k}`),
          'part des femmes',
          'part des jeunes (15-35 ans)',
        ],
        rows.map((r) => [
          r.id,
          r.label,
          r.b.total,
          ...SEX_KEYS.map((k) => r.b.bySex[k]),
          ...AGE_KEYS.map((k) => r.b.byAge[k]),
          ...communes.map((k) => (r.id === 'total' ? t.byCommune[k] : t.optionByCommune[r.id]?.[k]) ?? 0),
          formatShare(r.b.womenShare),
          formatShare(r.b.youthShare),
        ])
      );
    },
  },
  {
    method: 'POST',
    path: '/admin/consultations/:slug/paper',
    roles: STAFF,
    action: 'consultation.paper',
    example: { slug: 'priorites' },
    async handle(s, req) {
      const c = await load(s, req);
      const count = Number(field(req, 'count'));
      try {
        await s.deps.submissions.recordPaper(
          c,
          { option: field(req, 'option'), sex: field(req, 'sex') || undefined, ageBand: field(req, 'ageBand') || undefined, count },
          { hubId: s.deps.config.hubId }
        );
      } catch (e) {
        if (isAppError(e) && e.status < 500) return { redirect: url(c._id), flash: `Bulletins non ajoutés : ${e.details}` };
        throw e;
      }
      return { redirect: url(c._id), flash: `${count} bulletin(s) papier ajouté(s).`, audit: { target: c._id, detail: `${count} × ${field(req, 'option')}` } };
    },
  },
  {
    method: 'POST',
    path: '/admin/consultations/:slug/close',
    roles: STAFF,
    action: 'consultation.close',
    example: { slug: 'priorites' },
    async handle(s, req) {
      const c = await load(s, req);
      mustBeLocal(s, c);
      const now = Date.now();
      const opensAt = Math.min(Date.parse(c.opensAt), now - 1000);
      await save(s, { ...c, opensAt: new Date(opensAt).toISOString(), closesAt: new Date(now).toISOString() });
      return { redirect: url(c._id), flash: 'Consultation fermée.', audit: { target: c._id } };
    },
  },
  {
    method: 'POST',
    path: '/admin/consultations/:slug/open',
    roles: STAFF,
    action: 'consultation.open',
    example: { slug: 'priorites' },
    async handle(s, req) {
      const c = await load(s, req);
      mustBeLocal(s, c);
      const until = field(req, 'closesAt');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Date.parse(`${until}T23:59:59Z`) <= Date.now()) {
        throw new AppError(422, 'bad-closing-date', 'choose a closing date in the future, like "2026-12-31"');
      }
      const now = new Date().toISOString();
      await save(s, { ...c, opensAt: c.opensAt < now ? c.opensAt : now, closesAt: `${until}T23:59:59Z` });
      return { redirect: url(c._id), flash: 'Consultation rouverte.', audit: { target: c._id } };
    },
  },
];
