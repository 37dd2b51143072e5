import { AGE_BANDS, AppError, isAppError, tradeName } from '../../../content/index.js';
import { sessionOf } from '../../auth/index.js';
import { asSms, smsCount, smsPage, templateCosts, type PendingDoc, type SmsService } from '../../sms/index.js';
import { maybeDoc, putDoc } from '../../storage/index.js';
import { field, param } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { actionButton, ageLabel, csrfField, page, select, SEX_OPTIONS, when } from '../layout.js';
import { adminPage, adminPager } from '../pager.js';
import { STAFF, type AdminRoute, type AdminServices } from '../route-table.js';
import { checkSubmission } from '../../submissions/index.js';

const OUT_STATE: Record<string, string> = {
  queued: 'en file',
  created: 'au modem',
  sending: 'en cours d’envoi',
  sent: 'envoyé',
  delivered: 'remis',
  failed: 'échec',
  uncertain: 'incertain (modem débranché pendant l’envoi)',
  cancelled: 'annulé (STOP)',
  expired: 'périmé',
};
const OUTCOME: Record<string, string> = {
  vote: 'vote',
  registration: 'inscription',
  info: 'INFO',
  stop: 'STOP',
  start: 'START',
  inbox: 'pour vous',
  refused: 'refusé',
};
const STATE_CLASS: Record<string, string> = { ready: 'ok', 'no-modem': 'warn', 'no-bus': 'warn', disabled: '' };

function sms(s: AdminServices): SmsService {
  if (!s.deps.sms) throw new AppError(503, 'sms-unavailable', 'the SMS room is not running on this hub');
  return s.deps.sms;
}

function tabs(current: string): SafeHtml {
  const items = [
    ['/admin/sms', 'État et coûts'],
    ['/admin/sms/inbox', 'Reçus'],
    ['/admin/sms/outbox', 'Envoyés'],
    ['/admin/sms/inscriptions', 'Inscriptions par SMS'],
    ['/admin/sms/optouts', 'Désabonnés (STOP)'],
  ] as const;
  return html`<nav class="tabs" aria-label="SMS">${items.map(([href, label]) => html`<a href="${href}" ${href === current ? html`aria-current="page"` : ''}>${label}</a>`)}</nav>`;
}

const money = (n: number, currency: string) => `${n.toLocaleString('fr-FR')} ${currency}`;

export const smsRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/sms',
    roles: STAFF,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      const st = sms(s).status();
      const { currency, costPerPart } = s.deps.config.sms;
      const costs = templateCosts(costPerPart);
      const body = html`${tabs('/admin/sms')}
<section class="card ${STATE_CLASS[st.state] ?? ''}" aria-labelledby="modem-h">
<h2 id="modem-h">Modem GSM</h2>
<p><strong>${st.state === 'ready' ? 'Prêt' : 'Pas de SMS pour le moment'}</strong> — ${st.detail}${st.modem ? ` : ${st.modem.manufacturer} ${st.modem.model}${st.modem.signalPercent !== null ? `, signal ${st.modem.signalPercent} %` : ''}` : ''}.</p>
${st.state !== 'ready' && st.state !== 'disabled' ? html`<p>Le reste de l’espace fonctionne. Les SMS attendent dans la file et partiront quand le modem sera là.</p>` : ''}
<p>En attente : <strong>${st.pending}</strong> SMS.</p>
</section>
<section aria-labelledby="budget-h">
<h2 id="budget-h">Budget du jour</h2>
<p>Dépensé aujourd’hui : <strong>${money(st.today.cost, currency)}</strong> (${st.today.parts} SMS facturés) sur <strong>${money(st.today.budget, currency)}</strong> par jour, soit ${Number.isFinite(st.today.budgetParts) ? st.today.budgetParts : '∞'} SMS à ${money(costPerPart, currency)}. Au-delà, les messages attendent le lendemain. Heures calmes : ${s.deps.config.sms.quietHours.from}–${s.deps.config.sms.quietHours.to} (seules les réponses partent).</p>
</section>
<section aria-labelledby="tpl-h">
<h2 id="tpl-h">Modèles et leur coût</h2>
<p>Un SMS en alphabet GSM tient 160 caractères (153 par partie au-delà) ; une seule lettre bambara (ɛ ɔ ɲ ŋ) ou ê, ç… le passe en UCS-2 : 70 caractères (67 par partie). Coût au pire, chaque valeur à sa longueur maximale.</p>
<table><thead><tr><th scope="col">Modèle</th><th scope="col">Langue</th><th scope="col">Texte</th><th scope="col">Codage</th><th scope="col">Parties</th><th scope="col">Coût</th></tr></thead>
<tbody>${costs.map((c) => html`<tr><td>${c.label}</td><td>${c.lang === 'fr' ? 'français' : 'bambara'}</td><td lang="${c.lang}">${c.text}</td><td>${c.encoding === 'gsm7' ? 'GSM' : 'UCS-2'}</td><td>${c.parts}</td><td>${money(c.cost, currency)}</td></tr>`)}</tbody></table>
</section>
<section aria-labelledby="plan-h"><h2 id="plan-h">Avis</h2>
<p>Les avis (ouverture de consultation, opportunité qui correspond au métier et à la commune, rappel la veille d’un événement, réponse d’un élu) ne vont qu’aux membres qui ont accepté les SMS, une fois chacun, et jamais aux désabonnés.</p>
${actionButton(session, '/admin/sms/plan', 'Préparer les avis maintenant')}</section>`;
      return { page: page({ title: 'SMS', session, spaceName: s.deps.config.spaceName, body, refreshSeconds: 60 }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/sms/plan',
    roles: STAFF,
    action: 'sms.plan',
    async handle(s) {
      const queued = await sms(s).plan();
      void sms(s).kick();
      return { redirect: '/admin/sms/outbox', flash: `${queued} avis mis en file.`, audit: { detail: `${queued} queued` } };
    },
  },
  {
    method: 'GET',
    path: '/admin/sms/inbox',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const db = sms(s).db;
      const slice = adminPage(req, await smsCount(db, 'in:'));
      const list = await smsPage(db, 'in', slice.end - slice.start, slice.start);
      const body = html`${tabs('/admin/sms/inbox')}
<p>Les SMS reçus par le modem, du plus récent au plus ancien. « Pour vous » : ni un vote, ni une inscription, ni INFO/STOP — à lire et, si besoin, rappeler la personne.</p>
${
  list.length === 0
    ? html`<p>Aucun SMS reçu.</p>`
    : html`<table><thead><tr><th scope="col">Reçu</th><th scope="col">De</th><th scope="col">Message</th><th scope="col">Suite</th></tr></thead>
<tbody>${list.map((m) => html`<tr class="${m.outcome === 'inbox' ? 'new' : ''}"><td>${when(m.sentAt)}</td><td>${m.from}</td><td>${m.text}</td><td>${OUTCOME[m.outcome ?? ''] ?? 'en cours'}${m.note ? html` — ${m.note}` : ''}</td></tr>`)}</tbody></table>`
}
${adminPager('/admin/sms/inbox', slice)}`;
      return { page: page({ title: 'SMS reçus', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/sms/outbox',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const db = sms(s).db;
      const { currency } = s.deps.config.sms;
      const slice = adminPage(req, await smsCount(db, 'out:'));
      const list = await smsPage(db, 'out', slice.end - slice.start, slice.start);
      const body = html`${tabs('/admin/sms/outbox')}
${
  list.length === 0
    ? html`<p>Aucun SMS envoyé ni en file.</p>`
    : html`<table><thead><tr><th scope="col">Créé</th><th scope="col">À</th><th scope="col">Message</th><th scope="col">Parties</th><th scope="col">Coût</th><th scope="col">État</th></tr></thead>
<tbody>${list.map((m) => html`<tr><td>${when(m.createdAt)}</td><td>${m.to}</td><td lang="${m.lang}">${m.text}</td><td>${m.parts} (${m.encoding === 'gsm7' ? 'GSM' : 'UCS-2'})</td><td>${money(m.cost, currency)}</td><td>${OUT_STATE[m.state] ?? m.state}${m.sentAt ? ` · ${when(m.sentAt)}` : ''}${m.error ? html` <small>${m.error}</small>` : ''}</td></tr>`)}</tbody></table>`
}
${adminPager('/admin/sms/outbox', slice)}`;
      return { page: page({ title: 'SMS envoyés', session, spaceName: s.deps.config.spaceName, body, refreshSeconds: 30 }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/sms/optouts',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const db = sms(s).db;
      const slice = adminPage(req, await smsCount(db, 'optout:'));
      const list = (await smsPage(db, 'optout', slice.end - slice.start, slice.start)).filter((o) => o.active);
      const body = html`${tabs('/admin/sms/optouts')}
<p>Ces numéros ont envoyé STOP (ou ARRET, DABILA) : aucun avis ne leur part plus. Ils reviennent en envoyant START.</p>
${
  list.length === 0
    ? html`<p>Personne ne s’est désabonné.</p>`
    : html`<table><thead><tr><th scope="col">Numéro</th><th scope="col">Depuis</th><th scope="col">Mot envoyé</th></tr></thead>
<tbody>${list.map((o) => html`<tr><td>${o.phone}</td><td>${when(o.since)}</td><td>${o.keyword}</td></tr>`)}</tbody></table>`
}
${adminPager('/admin/sms/optouts', slice)}`;
      return { page: page({ title: 'Désabonnés des SMS', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/sms/inscriptions',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const db = sms(s).db;
      const slice = adminPage(req, await smsCount(db, 'pending:'));
      const list = await smsPage(db, 'pending', slice.end - slice.start, slice.start);
      const waiting = list.filter((p) => p.status === 'waiting');
      const body = html`${tabs('/admin/sms/inscriptions')}
<p>Ces personnes se sont inscrites par SMS. Appelez-les (ou voyez-les à l’espace) : demandez leur accord pour que l’espace garde leurs informations et leur envoie des SMS, leur sexe et leur âge, puis confirmez.</p>
${waiting.length === 0 ? html`<p>Aucune inscription n’attend.</p>` : ''}
${waiting.map(
  (p) => html`<article class="card">
<h2>${p.name}</h2>
<p>${p.phone} · ${p.commune} · ${tradeName(p.trade)} · reçu le ${when(p.createdAt)} · ${p.lang === 'bm' ? 'en bambara' : 'en français'}</p>
<form method="post" action="/admin/sms/inscriptions/${encodeURIComponent(p._id.slice('pending:'.length))}" class="stack">
${csrfField(session)}<input type="hidden" name="decision" value="confirm">
<label for="sex-${p._id}">Sexe</label>${select('sex', SEX_OPTIONS, undefined, { required: true, id: `sex-${p._id}` })}
<label for="age-${p._id}">Âge</label>${select(
    'ageBand',
    AGE_BANDS.filter((b) => b !== '0-14').map((b) => [b, ageLabel(b)] as const),
    undefined,
    { required: true, id: `age-${p._id}` }
  )}
<label class="choice"><input type="checkbox" name="consent" value="yes" required> La personne accepte que l’espace garde ses informations (lu au téléphone ou à l’espace)</label>
<label class="choice"><input type="checkbox" name="smsConsent" value="yes"> Elle accepte de recevoir des SMS (rappels, opportunités, consultations)</label>
<button type="submit">Confirmer l’inscription</button>
</form>
${actionButton(session, `/admin/sms/inscriptions/${encodeURIComponent(p._id.slice('pending:'.length))}`, 'Refuser (pas d’accord, ou faux numéro)', { decision: 'refuse' }, 'quiet')}
</article>`
)}
${list.length > waiting.length ? html`<h2>Déjà traitées</h2><ul>${list.filter((p) => p.status !== 'waiting').map((p) => html`<li>${p.name} — ${p.status === 'confirmed' ? 'confirmée' : 'refusée'} ${p.decidedBy ? `par ${p.decidedBy}` : ''} ${when(p.decidedAt)}</li>`)}</ul>` : ''}
${adminPager('/admin/sms/inscriptions', slice)}`;
      return { page: page({ title: 'Inscriptions par SMS', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/sms/inscriptions/:id',
    roles: STAFF,
    action: 'sms.registration',
    example: { id: '0000000000:0000000000000000' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const db = sms(s).db;
      const id = `pending:${param(req, 'id')}`;
      const p = await maybeDoc(db, id, asSms('pending'));
      if (!p) throw new AppError(404, 'registration-not-found', 'no SMS registration with this id; it may have been handled already');
      if (p.status !== 'waiting') return { redirect: '/admin/sms/inscriptions', flash: 'Cette inscription a déjà été traitée.' };
      const decidedAt = new Date().toISOString();
      if (field(req, 'decision') === 'refuse') {
        await putDoc(db, { ...p, status: 'refused', decidedBy: session.username, decidedAt } satisfies PendingDoc);
        return {
          redirect: '/admin/sms/inscriptions',
          flash: `Inscription de ${p.name} refusée : rien n’a été gardé dans les inscriptions.`,
          audit: { target: id, detail: 'refused' },
        };
      }
      if (field(req, 'consent') !== 'yes')
        return { redirect: '/admin/sms/inscriptions', flash: 'Sans l’accord de la personne, l’inscription ne peut pas être confirmée.' };
      let registration: string;
      try {
        ({ id: registration } = await s.deps.submissions.submit(
          checkSubmission('registration', {
            fullName: p.name,
            sex: field(req, 'sex'),
            ageBand: field(req, 'ageBand'),
            commune: p.commune,
            phone: p.phone,
            trades: [p.trade],
            smsConsent: field(req, 'smsConsent') === 'yes',
            lang: p.lang,
            consent: true,
          }),
          { hubId: s.deps.config.hubId, recordedBy: session.username, channel: 'sms' }
        ));
      } catch (e) {
        if (isAppError(e) && e.status === 422) return { redirect: '/admin/sms/inscriptions', flash: `Vérifiez le sexe et l’âge : ${e.details}` };
        throw e;
      }
      await putDoc(db, { ...p, status: 'confirmed', registration, decidedBy: session.username, decidedAt } satisfies PendingDoc);
      return { redirect: '/admin/sms/inscriptions', flash: `${p.name} est inscrite.`, audit: { target: registration, detail: 'confirmed from SMS' } };
    },
  },
];
