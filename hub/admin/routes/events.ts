import type { Request } from 'express';
import { AGE_BANDS, AppError, EVENT_KINDS, isAppError, isSafeText, parseContentDoc, type Event } from '../../../content/index.js';
import { putDoc } from '../../storage/index.js';
import { sessionOf, type Session } from '../../auth/index.js';
import { asText, sendCsv } from '../csv-response.js';
import { field, isoToLocal, localToIso, param, query, slugFrom } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { SEX_LABEL, SEX_OPTIONS, actionButton, ageLabel, csrfField, page, select, when } from '../layout.js';
import { allMembers, attendanceOf, searchMembers, type Member } from '../members.js';
import { adminPage, adminPager } from '../pager.js';
import { STAFF, type AdminResult, type AdminRoute, type AdminServices } from '../route-table.js';
import { eventsByStart } from '../../portal/index.js';
import { checkSubmission } from '../../submissions/index.js';

type EventDoc = Event & { _rev?: string };

const KIND_LABEL: Record<string, string> = { formation: 'Formation', session: 'Session', concertation: 'Concertation', reunion: 'Réunion', atelier: 'Atelier' };

const isLocal = (s: AdminServices, id: string) => id.startsWith(`event:${s.deps.config.hubId}-`);
const eventUrl = (id: string) => `/admin/events/${encodeURIComponent(id.slice('event:'.length))}`;

/** An event this hub may change: made here, not published by central. */
async function loadLocalEvent(s: AdminServices, req: Request): Promise<EventDoc> {
  const e = await loadEvent(s, req);
  if (!isLocal(s, e._id)) throw new AppError(403, 'event-read-only', 'this event was published by central; change it there, not on the hub');
  return e;
}

async function loadEvent(s: AdminServices, req: Request): Promise<EventDoc> {
  const id = `event:${param(req, 'slug')}`;
  const doc = await s.deps.catalog.maybe(id);
  if (!doc || doc.type !== 'event') throw new AppError(404, 'event-not-found', `no event "${id.slice(0, 90)}" on this hub`);
  return doc;
}

type FieldErrors = Partial<Record<'title' | 'kind' | 'description' | 'startsAt' | 'endsAt' | 'place' | 'commune' | 'capacity', string>>;

const INVISIBLE = 'contient des caractères invisibles ou de contrôle (copiés d’un autre document ?) : retapez-le.';

/** The collectivités this hub knows (its own commune, and those of the content), as [slug, name]. */
async function knownCommunes(s: AdminServices): Promise<[string, string][]> {
  const docs = await s.deps.catalog.all('commune');
  const out = new Map<string, string>(docs.map((c) => [c._id.slice('commune:'.length), c.name]));
  if (!out.has(s.deps.config.commune)) out.set(s.deps.config.commune, s.deps.config.commune);
  return [...out.entries()].sort((a, b) => a[1].localeCompare(b[1], 'fr'));
}

/** What the facilitator typed, checked field by field, each mistake said in French beside its field. */
function checkEventForm(req: Request, communes: readonly [string, string][]): FieldErrors {
  const errors: FieldErrors = {};
  const title = field(req, 'title');
  if (title.length < 3 || title.length > 120) errors.title = `Le titre doit compter de 3 à 120 caractères (il en a ${title.length}).`;
  else if (!isSafeText(title)) errors.title = `Le titre ${INVISIBLE}`;
  if (!(EVENT_KINDS as readonly string[]).includes(field(req, 'kind'))) errors.kind = 'Choisissez un type dans la liste.';
  const description = field(req, 'description');
  if (description.length > 4000) errors.description = 'La description compte au plus 4 000 caractères.';
  else if (!isSafeText(description, true)) errors.description = `La description ${INVISIBLE}`;
  const starts = Date.parse(localToIso(field(req, 'startsAt')) ?? '');
  if (Number.isNaN(starts)) errors.startsAt = 'Indiquez la date et l’heure du début.';
  const endsAt = field(req, 'endsAt');
  if (endsAt) {
    const ends = Date.parse(localToIso(endsAt) ?? '');
    if (Number.isNaN(ends)) errors.endsAt = 'Indiquez une date et une heure de fin valides, ou laissez vide.';
    else if (!Number.isNaN(starts) && ends <= starts) errors.endsAt = 'La fin doit venir après le début.';
  }
  const place = field(req, 'place');
  if (place.length < 1 || place.length > 200) errors.place = 'Indiquez le lieu (200 caractères au plus).';
  else if (!isSafeText(place)) errors.place = `Le lieu ${INVISIBLE}`;
  if (!communes.some(([slug]) => slug === field(req, 'commune'))) errors.commune = 'Choisissez la commune dans la liste des collectivités de l’espace.';
  const capacity = field(req, 'capacity');
  if (!/^\d{1,6}$/.test(capacity) || Number(capacity) < 1 || Number(capacity) > 100_000)
    errors.capacity = 'Le nombre de places est un nombre entier de 1 à 100 000.';
  return errors;
}

/** A field's label, control and — when it was wrong — its message, tied to it for screen readers. */
function fieldRow(name: keyof FieldErrors, label: string, control: (attrs: SafeHtml) => SafeHtml, errors: FieldErrors): SafeHtml {
  const error = errors[name];
  const attrs = error ? html`aria-invalid="true" aria-describedby="${name}-error"` : html``;
  return html`<label for="${name}">${label}</label>
  ${control(attrs)}
  ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : ''}`;
}

function eventForm(
  s: AdminServices,
  session: Session,
  action: string,
  e: Partial<EventDoc>,
  communes: readonly [string, string][],
  errors: FieldErrors = {},
  error?: string
): SafeHtml {
  const chosen = e.commune ?? s.deps.config.commune;
  return html`
${error ? html`<p class="error" role="alert">${error}</p>` : Object.keys(errors).length ? html`<p class="error" role="alert">L’événement n’est pas enregistré : corrigez ${Object.keys(errors).length > 1 ? 'les champs signalés' : 'le champ signalé'} ci-dessous.</p>` : ''}
<form method="post" action="${action}" class="stack" novalidate>
  ${csrfField(session)}
  ${fieldRow('title', 'Titre (français, 3 à 120 caractères)', (a) => html`<input id="title" name="title" required minlength="3" maxlength="120" value="${e.title?.fr ?? ''}" ${a}>`, errors)}
  ${fieldRow(
    'kind',
    'Type',
    () =>
      select(
        'kind',
        EVENT_KINDS.map((k) => [k, KIND_LABEL[k] ?? k] as const),
        e.kind ?? 'formation'
      ),
    errors
  )}
  ${fieldRow('description', 'Description', (a) => html`<textarea id="description" name="description" rows="3" maxlength="4000" ${a}>${e.description?.fr ?? ''}</textarea>`, errors)}
  ${fieldRow('startsAt', 'Début (heure du Mali)', (a) => html`<input id="startsAt" name="startsAt" type="datetime-local" required value="${isoToLocal(e.startsAt)}" ${a}>`, errors)}
  ${fieldRow('endsAt', 'Fin (après le début)', (a) => html`<input id="endsAt" name="endsAt" type="datetime-local" value="${isoToLocal(e.endsAt)}" ${a}>`, errors)}
  ${fieldRow('place', 'Lieu', (a) => html`<input id="place" name="place" required maxlength="200" value="${e.place ?? s.deps.config.spaceName}" ${a}>`, errors)}
  ${fieldRow('commune', 'Commune', () => select('commune', communes.some(([c]) => c === chosen) ? communes : [['', '— choisir —'], ...communes], chosen, { required: true }), errors)}
  ${fieldRow('capacity', 'Places', (a) => html`<input id="capacity" name="capacity" type="number" min="1" max="100000" required value="${e.capacity ?? 30}" ${a}>`, errors)}
  <button type="submit">Enregistrer</button>
</form>`;
}

/** The event doc a form describes, checked by the shared Event schema. */
function eventFromForm(s: AdminServices, req: Request, id: string, rev?: string): EventDoc {
  const description = field(req, 'description');
  const doc = {
    _id: id,
    ...(rev ? { _rev: rev } : {}),
    type: 'event',
    audience: { hubs: [s.deps.config.hubId] },
    title: { fr: field(req, 'title') },
    kind: field(req, 'kind'),
    ...(description ? { description: { fr: description } } : {}),
    startsAt: localToIso(field(req, 'startsAt')),
    ...(field(req, 'endsAt') ? { endsAt: localToIso(field(req, 'endsAt')) } : {}),
    place: field(req, 'place'),
    commune: field(req, 'commune'),
    capacity: Number(field(req, 'capacity')),
    updatedAt: new Date().toISOString(),
  };
  return parseContentDoc(doc, 'event') as EventDoc;
}

async function saveOrShowForm(s: AdminServices, req: Request, session: Session, action: string, title: string, build: () => EventDoc): Promise<AdminResult> {
  const communes = await knownCommunes(s);
  const errors = checkEventForm(req, communes);
  // A mistake in the form: show it again with what was typed, each reason beside its field.
  const typed = () => {
    const description = field(req, 'description');
    return {
      title: { fr: field(req, 'title') },
      kind: field(req, 'kind'),
      ...(description ? { description: { fr: description } } : {}),
      startsAt: localToIso(field(req, 'startsAt')),
      endsAt: localToIso(field(req, 'endsAt')),
      place: field(req, 'place'),
      commune: field(req, 'commune'),
      capacity: Number(field(req, 'capacity')),
    } as Partial<EventDoc>;
  };
  if (Object.keys(errors).length > 0) {
    return { page: page({ title, session, spaceName: s.deps.config.spaceName, body: eventForm(s, session, action, typed(), communes, errors) }), status: 422 };
  }
  let doc: EventDoc;
  try {
    doc = build();
  } catch (e) {
    // The shared schema's last word (a rule the checks above do not know yet).
    if (!isAppError(e) || e.status !== 422) throw e;
    return {
      page: page({
        title,
        session,
        spaceName: s.deps.config.spaceName,
        body: eventForm(s, session, action, typed(), communes, {}, `L’événement n’est pas enregistré : ${e.details}`),
      }),
      status: 422,
    };
  }
  await putDoc(s.deps.dbs.content, doc);
  return { redirect: eventUrl(doc._id), flash: 'Événement enregistré.', audit: { target: doc._id } };
}

function attendeeRows(list: { a: { _id: string; member?: string; sex?: string; ageBand?: string; createdAt: string }; m?: Member }[]) {
  return list.map(({ a, m }, i) => ({
    n: i + 1,
    name: a.member ? (m?.fullName ?? '(membre effacé)') : 'Participant·e non inscrit·e',
    sex: SEX_LABEL[m?.sex ?? a.sex ?? 'unknown'] ?? '',
    age: ageLabel(m?.ageBand ?? a.ageBand ?? 'unknown'),
    commune: m?.commune ?? '',
    phone: m?.phone ?? '',
    at: when(a.createdAt),
    id: a._id,
  }));
}

async function attendees(s: AdminServices, eventId: string) {
  const db = s.deps.dbs.submissions;
  const hubId = s.deps.config.hubId;
  const [records, members] = await Promise.all([attendanceOf(db, hubId, (a) => a.event === eventId), allMembers(db, hubId)]);
  const byId = new Map(members.map((m) => [m._id, m]));
  return { members, rows: attendeeRows(records.map((a) => ({ a, m: a.member ? byId.get(a.member) : undefined }))) };
}

export const eventRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/events',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      // Newest first, a page at a time: only the page's docs are read.
      const digest = s.deps.digest;
      const order = eventsByStart(await digest.of('event'));
      const slice = adminPage(req, order.length);
      const ids = order
        .slice(order.length - slice.end, order.length - slice.start)
        .map((e) => e.id)
        .reverse();
      const events = await digest.docs('event', ids);
      const body = html`
<p><a class="button" href="/admin/events/new">Nouvel événement</a></p>
<table class="list">
<thead><tr><th>Date</th><th>Titre</th><th>Type</th><th>Lieu</th><th>Origine</th></tr></thead>
<tbody>${events.map(
        (e) =>
          html`<tr><td>${when(e.startsAt)}</td><td><a href="${eventUrl(e._id)}">${e.title.fr}</a></td><td>${KIND_LABEL[e.kind] ?? e.kind}</td><td>${e.place}</td><td>${isLocal(s, e._id) ? 'cet espace' : 'central (lecture seule)'}</td></tr>`
      )}</tbody>
</table>
${adminPager('/admin/events', slice)}
${events.length === 0 ? html`<p>Aucun événement pour l’instant.</p>` : ''}`;
      return { page: page({ title: 'Événements', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/events/new',
    roles: STAFF,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      return {
        page: page({
          title: 'Nouvel événement',
          session,
          spaceName: s.deps.config.spaceName,
          body: eventForm(s, session, '/admin/events', {}, await knownCommunes(s)),
        }),
      };
    },
  },
  {
    method: 'POST',
    path: '/admin/events',
    roles: STAFF,
    action: 'event.create',
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const hubId = s.deps.config.hubId;
      const id = `event:${hubId}-${slugFrom(field(req, 'title'), 80 - hubId.length)}`;
      return saveOrShowForm(s, req, session, '/admin/events', 'Nouvel événement', () => eventFromForm(s, req, id));
    },
  },
  {
    method: 'GET',
    path: '/admin/events/:slug/edit',
    roles: STAFF,
    example: { slug: 'formation-budget' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const e = await loadLocalEvent(s, req);
      return {
        page: page({
          title: 'Modifier l’événement',
          session,
          spaceName: s.deps.config.spaceName,
          body: eventForm(s, session, eventUrl(e._id), e, await knownCommunes(s)),
        }),
      };
    },
  },
  {
    method: 'POST',
    path: '/admin/events/:slug',
    roles: STAFF,
    action: 'event.update',
    example: { slug: 'formation-budget' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const e = await loadLocalEvent(s, req);
      return saveOrShowForm(s, req, session, eventUrl(e._id), 'Modifier l’événement', () => eventFromForm(s, req, e._id, e._rev));
    },
  },
  {
    method: 'GET',
    path: '/admin/events/:slug',
    roles: STAFF,
    example: { slug: 'formation-budget' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const e = await loadEvent(s, req);
      const q = query(req, 'q');
      const { members, rows } = await attendees(s, e._id);
      const present = new Set(rows.map((r) => r.id));
      const found = q ? searchMembers(members, q).slice(0, 20) : [];
      const url = eventUrl(e._id);
      const body = html`
<p class="meta">${KIND_LABEL[e.kind] ?? e.kind} · ${when(e.startsAt)} · ${e.place} · ${rows.length} / ${e.capacity} présent·es
${isLocal(s, e._id) ? html` · <a href="${url}/edit">Modifier</a>` : html` · publié par central (lecture seule)`}
· <a href="${url}/sheet">Feuille de présence</a> · <a href="${url}/attendance.csv">CSV</a></p>
<section class="take">
<h2>Prendre les présences</h2>
<form method="get" action="${url}" class="row" role="search">
  <label for="q">Nom ou téléphone</label>
  <input id="q" name="q" type="search" value="${q}" autocomplete="off" inputmode="search">
  <button type="submit">Chercher</button>
</form>
${
  q
    ? found.length
      ? html`<ul class="found">${found.map(
          (m) => html`<li><span>${m.fullName} · ${SEX_LABEL[m.sex]} · ${ageLabel(m.ageBand)}${m.phone ? html` · ${m.phone}` : ''}</span>
        ${actionButton(session, `${url}/attendance`, 'Présent·e', { member: m._id }, 'big')}</li>`
        )}</ul>`
      : html`<p>Personne ne correspond à « ${q} ». <a href="/admin/members/new">Inscrire un membre</a> ou compter la personne ci-dessous.</p>`
    : ''
}
<form method="post" action="${url}/attendance" class="row anonymous">
  ${csrfField(session)}
  <fieldset><legend>Participant·e non inscrit·e</legend>
  ${SEX_OPTIONS.map(([v, label]) => html`<label class="choice"><input type="radio" name="sex" value="${v}" required> ${label}</label>`)}
  <label for="ageBand">Âge</label>
  ${select(
    'ageBand',
    AGE_BANDS.map((a) => [a, ageLabel(a)] as const),
    '15-24'
  )}
  <button type="submit" class="big">Ajouter</button>
  </fieldset>
</form>
</section>
<h2>Présent·es (${rows.length})</h2>
<table class="list">
<thead><tr><th>#</th><th>Nom</th><th>Sexe</th><th>Âge</th><th>Heure</th><th></th></tr></thead>
<tbody>${rows.map(
        (r) =>
          html`<tr><td>${r.n}</td><td>${r.name}</td><td>${r.sex}</td><td>${r.age}</td><td>${r.at}</td><td>${actionButton(session, `${url}/attendance/${encodeURIComponent(r.id)}/remove`, 'Retirer', {}, 'quiet')}</td></tr>`
      )}</tbody>
</table>
${present.size === 0 ? html`<p>Personne n’est encore compté·e.</p>` : ''}`;
      return { page: page({ title: e.title.fr, session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/events/:slug/attendance',
    roles: STAFF,
    action: 'attendance.add',
    example: { slug: 'formation-budget' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const e = await loadEvent(s, req);
      const member = field(req, 'member');
      const url = eventUrl(e._id);
      if (member) {
        const already = await attendanceOf(s.deps.dbs.submissions, s.deps.config.hubId, (a) => a.event === e._id && a.member === member);
        if (already.length) return { redirect: url, flash: 'Cette personne est déjà comptée.' };
      }
      const input = member ? { event: e._id, member } : { event: e._id, sex: field(req, 'sex'), ageBand: field(req, 'ageBand') };
      const { id } = await s.deps.submissions.submit(checkSubmission('attendance', input), { hubId: s.deps.config.hubId, recordedBy: session.username });
      return { redirect: url, flash: 'Présence enregistrée.', audit: { target: id, detail: e._id } };
    },
  },
  {
    method: 'POST',
    path: '/admin/events/:slug/attendance/:attendance/remove',
    roles: STAFF,
    action: 'attendance.remove',
    example: { slug: 'formation-budget', attendance: 'kayes-demo:attendance:000000000000' },
    async handle(s, req) {
      const e = await loadEvent(s, req);
      const id = param(req, 'attendance');
      const [doc] = await attendanceOf(s.deps.dbs.submissions, s.deps.config.hubId, (a) => a._id === id && a.event === e._id);
      if (!doc) throw new AppError(404, 'attendance-not-found', 'this attendance record is not on this event');
      await s.deps.dbs.submissions.remove(doc._id, doc._rev);
      return { redirect: eventUrl(e._id), flash: 'Présence retirée.', audit: { target: id, detail: e._id } };
    },
  },
  {
    method: 'GET',
    path: '/admin/events/:slug/sheet',
    roles: STAFF,
    example: { slug: 'formation-budget' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const e = await loadEvent(s, req);
      const { rows } = await attendees(s, e._id);
      const body = html`
<p class="meta">${KIND_LABEL[e.kind] ?? e.kind} · ${when(e.startsAt)} · ${e.place} (${e.commune}) · ${rows.length} présent·es</p>
<table class="list sheet">
<thead><tr><th>#</th><th>Nom</th><th>Sexe</th><th>Âge</th><th>Commune</th><th>Téléphone</th><th>Signature</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.n}</td><td>${r.name}</td><td>${r.sex}</td><td>${r.age}</td><td>${r.commune}</td><td>${r.phone}</td><td class="sign"></td></tr>`)}</tbody>
</table>
<p class="print-only">Imprimé le ${when(new Date().toISOString())} — ${s.deps.config.spaceName}</p>`;
      return { page: page({ title: `Feuille de présence — ${e.title.fr}`, session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/events/:slug/attendance.csv',
    roles: STAFF,
    example: { slug: 'formation-budget' },
    async handle(s, req, res) {
      const e = await loadEvent(s, req);
      const { rows } = await attendees(s, e._id);
      sendCsv(
        res,
        `presences-${e._id.slice(6)}.csv`,
        ['n°', 'nom', 'sexe', 'âge', 'commune', 'téléphone', 'enregistré le', 'événement', 'date'],
        rows.map((r) => [r.n, r.name, r.sex, r.age, r.commune, asText(r.phone), r.at, e.title.fr, when(e.startsAt)])
      );
    },
  },
];
