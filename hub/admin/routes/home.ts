import { sessionOf } from '../../auth/index.js';
import { html } from '../html.js';
import { page, when } from '../layout.js';
import { allMembers } from '../members.js';
import { allMessages } from '../messages.js';
import { STUDIO, type AdminRoute } from '../route-table.js';
import { eventsByStart } from '../../portal/index.js';

export const homeRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin',
    roles: [...STUDIO, 'official'],
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      // A studio volunteer's console is the studio.
      if (session.role === 'voice') return { redirect: '/admin/studio' };
      if (session.role === 'official') return { redirect: '/admin/proposals' };
      const { dbs, config } = s.deps;
      const digest = s.deps.digest;
      const [members, messages, events] = await Promise.all([
        allMembers(dbs.submissions, config.hubId),
        allMessages(dbs.submissions, config.hubId),
        digest.of('event'),
      ]);
      const today = new Date().toISOString().slice(0, 10);
      const next = eventsByStart(events).filter((e) => e.startsAt.slice(0, 10) >= today);
      const soon = await digest.docs(
        'event',
        next.slice(0, 5).map((e) => e.id)
      );
      const since = Date.now() - 7 * 24 * 3_600_000;
      const missed = s.login.throttle.recent(200).filter((f) => f.username === session.username && f.at >= since);
      const body = html`
${
  missed.length
    ? html`<p class="notice" id="missed-logins">${missed.length} tentative(s) de connexion manquée(s) à votre compte ces 7 derniers jours, la dernière le ${when(new Date(missed[0]!.at).toISOString())} depuis ${missed[0]!.ip}. Si ce n’était pas vous, prévenez le technicien.</p>`
    : ''
}
<ul class="tiles">
  <li><a href="/admin/members"><strong>${members.length}</strong> membres inscrits</a></li>
  <li><a href="/admin/messages"><strong>${messages.filter((m) => (m.status ?? 'new') === 'new').length}</strong> nouveaux messages</a></li>
  <li><a href="/admin/indicators"><strong>Indicateurs</strong> par sexe et par âge</a></li>
</ul>
<h2>Prochains événements</h2>
${
  soon.length
    ? html`<ul class="found">${soon.map((e) => html`<li><a href="/admin/events/${encodeURIComponent(e._id.slice(6))}">${when(e.startsAt)} — ${e.title.fr}</a></li>`)}</ul>`
    : html`<p>Aucun événement à venir. <a href="/admin/events/new">En créer un</a>.</p>`
}`;
      return { page: page({ title: 'Console', session, spaceName: config.spaceName, body }) };
    },
  },
];
