import { AppError, contentsOf, isAppError } from '../../../../content/index.js';
import { csrfField, html, when, type Value, formText } from '../../../../hub/index.js';
import { scheduleSession } from '../../community/index.js';
import { BASE } from '../layout.js';
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../page-table.js';

const PATH = `${BASE}/mentorat/seances`;
const FIELDS = ['title', 'starts', 'minutes', 'place', 'commune', 'capacity', 'description', 'hubs'] as const;
type Typed = Partial<Record<(typeof FIELDS)[number], string>>;

/** What was typed, given back with the sentence that says what to change. */
class SessionRefused extends AppError {
  constructor(
    readonly field: keyof Typed,
    message: string
  ) {
    super(422, 'session-refused', message);
  }
}

interface Upcoming {
  _id: string;
  title: { fr?: string };
  startsAt: string;
  place: string;
  commune: string;
  capacity: number;
  mentor?: string;
  audience?: { all?: boolean; hubs?: string[] };
}

async function upcoming(c: ConsoleContext): Promise<Upcoming[]> {
  const res = await c.central<{ rows: { doc?: unknown }[] }>(
    `content/_all_docs?include_docs=true&startkey=${encodeURIComponent('"event:"')}&endkey=${encodeURIComponent('"event:\ufff0"')}`
  );
  if (res.status !== 200) throw new AppError(502, 'events-unreadable', `Central n’a pas donné les séances (HTTP ${res.status}) : réessayez.`);
  const now = new Date().toISOString();
  return contentsOf(
    res.body.rows.map((r) => r.doc),
    'event'
  )
    .filter((e) => e.kind === 'mentorat' && e.startsAt >= now)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

function form(c: ConsoleContext, typed: Typed, error?: SessionRefused): Value {
  const v = (k: keyof Typed, d = '') => typed[k] ?? d;
  const bad = (k: keyof Typed) => (error?.field === k ? html` aria-invalid="true" aria-describedby="err-${k}"` : '');
  const msg = (k: keyof Typed) => (error?.field === k ? html`<p class="error" id="err-${k}" role="alert">${error.message}</p>` : '');
  return html`<form method="post" action="${PATH}" class="stack" novalidate>${csrfField(c.session!)}
<label for="s-title">Titre</label>${msg('title')}<input id="s-title" name="title" maxlength="120" value="${v('title')}"${bad('title')}>
<label for="s-starts">Début (heure de Bamako, GMT)</label>${msg('starts')}<input id="s-starts" name="starts" type="datetime-local" value="${v('starts')}"${bad('starts')}>
<label for="s-minutes">Durée (minutes)</label>${msg('minutes')}<input id="s-minutes" name="minutes" type="number" min="15" max="480" value="${v('minutes', '90')}"${bad('minutes')}>
<label for="s-place">Lieu (un espace, ou « en ligne »)</label>${msg('place')}<input id="s-place" name="place" maxlength="120" value="${v('place')}"${bad('place')}>
<label for="s-commune">Commune (identifiant, par exemple « kayes »)</label>${msg('commune')}<input id="s-commune" name="commune" maxlength="63" value="${v('commune')}"${bad('commune')}>
<label for="s-capacity">Places</label>${msg('capacity')}<input id="s-capacity" name="capacity" type="number" min="1" max="500" value="${v('capacity', '30')}"${bad('capacity')}>
<label for="s-hubs">Pour les espaces (identifiants séparés par des virgules ; vide : tous)</label>${msg('hubs')}<input id="s-hubs" name="hubs" value="${v('hubs')}"${bad('hubs')}>
<label for="s-description">Ce qui sera abordé</label><textarea id="s-description" name="description" rows="3" maxlength="2000">${v('description')}</textarea>
<button type="submit">Programmer la séance</button></form>`;
}

async function pageOf(c: ConsoleContext, typed: Typed = {}, error?: SessionRefused): Promise<ConsoleResult> {
  const list = await upcoming(c);
  const body = html`${error ? html`<p class="error" role="alert">La séance n’a pas été programmée : ${error.message}</p>` : ''}
<h2>Séances à venir</h2>
${
  list.length
    ? html`<table class="list"><thead><tr><th>Date</th><th>Séance</th><th>Lieu</th><th>Places</th><th>Mentore</th><th>Espaces</th></tr></thead><tbody>${list.map(
        (e) =>
          html`<tr><td>${when(e.startsAt)}</td><td>${e.title.fr ?? e._id}</td><td>${e.place} (${e.commune})</td><td>${e.capacity}</td><td>${e.mentor ?? ''}</td><td>${e.audience?.hubs?.join(', ') ?? 'tous'}</td></tr>`
      )}</tbody></table>`
    : html`<p>Aucune séance programmée.</p>`
}
<h2>Programmer une séance de groupe</h2>
<p class="meta">La séance devient un événement de l’agenda de chaque espace choisi, avec la prochaine synchronisation ; les membres s’y inscrivent à l’espace.</p>
${form(c, typed, error)}`;
  return { page: c.page('Séances de mentorat', body), ...(error ? { status: 422 } : {}) };
}

const slugify = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

/** The session as the content schema wants it, or the first thing to change, in French. */
function parse(t: Typed, now = new Date()) {
  const title = (t.title ?? '').trim();
  if (title.length < 3) throw new SessionRefused('title', 'Donnez un titre d’au moins 3 lettres.');
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(t.starts ?? '');
  const start = m ? new Date(`${m[1]}T${m[2]}:00Z`) : null;
  if (!start || Number.isNaN(start.getTime())) throw new SessionRefused('starts', 'Choisissez le jour et l’heure du début.');
  if (start <= now) throw new SessionRefused('starts', 'Le début doit être dans l’avenir.');
  const minutes = Number(t.minutes);
  if (!Number.isInteger(minutes) || minutes < 15 || minutes > 480) throw new SessionRefused('minutes', 'La durée va de 15 à 480 minutes.');
  const place = (t.place ?? '').trim();
  if (!place) throw new SessionRefused('place', 'Dites où a lieu la séance (un espace, ou « en ligne »).');
  const commune = (t.commune ?? '').trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(commune)) throw new SessionRefused('commune', 'Une commune s’écrit comme son identifiant, par exemple « kayes ».');
  const capacity = Number(t.capacity);
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 500) throw new SessionRefused('capacity', 'Le nombre de places va de 1 à 500.');
  const hubs = (t.hubs ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const badHub = hubs.find((h) => !/^[a-z0-9][a-z0-9-]{1,39}$/.test(h));
  if (badHub) throw new SessionRefused('hubs', `« ${badHub} » n’est pas un identifiant d’espace (par exemple « kayes-01 »).`);
  const startsAt = start.toISOString();
  return {
    slug: `mentorat-${startsAt.slice(0, 10)}-${slugify(title)}`,
    title,
    startsAt,
    endsAt: new Date(start.getTime() + minutes * 60_000).toISOString(),
    place,
    commune,
    capacity,
    ...(t.description?.trim() ? { description: t.description.trim() } : {}),
    ...(hubs.length ? { audience: { hubs } } : {}),
  };
}

/** Group mentoring sessions (issue 14): a mentor schedules one; it reaches the spaces' agendas. */
export const mentoringSessionsPage: ConsolePage = {
  nav: { href: PATH, label: 'Séances', order: 56 },
  routes: [
    { method: 'GET', path: PATH, roles: ['mentor'], handle: (c) => pageOf(c) },
    {
      method: 'POST',
      path: PATH,
      roles: ['mentor'],
      action: 'session.schedule',
      async handle(c): Promise<ConsoleResult> {
        const typed: Typed = Object.fromEntries(FIELDS.map((k) => [k, (formText(c.req.body, k) ?? '').slice(0, 2000)]));
        try {
          const s = parse(typed);
          const id = await scheduleSession(c.central, s, c.session!.username);
          return {
            redirect: PATH,
            flash: `Séance programmée : elle arrive dans l’agenda des espaces avec la prochaine synchronisation.`,
            audit: { target: id },
          };
        } catch (e) {
          if (e instanceof SessionRefused) return pageOf(c, typed, e);
          if (isAppError(e) && e.status < 500) return pageOf(c, typed, new SessionRefused('title', e.message));
          throw e;
        }
      },
    },
  ],
};
