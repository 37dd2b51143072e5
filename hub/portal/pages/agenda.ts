import type { Router } from 'express';
import type { Event } from '../../../content/index.js';
import { heading } from '../components.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';
import { eventCard } from './bits.js';
import { upcomingEvents } from './queries.js';

export function agendaRoutes(router: Router, portal: Portal): void {
  router.get('/agenda', async function agenda(req, res) {
    const ctx = portal.ctx(req);
    const now = Date.now();
    const [upcoming, all] = await Promise.all([upcomingEvents(portal, now), portal.all<Event>('event')]);
    const past = all.filter((e) => Date.parse(e.endsAt ?? e.startsAt) < now).sort((a, b) => b.startsAt.localeCompare(a.startsAt)).slice(0, 5);
    const body = html`${heading(ctx, 'nav.agenda', 'agenda')}
<p class="lead">${ctx.t('agenda.intro')}</p>
${upcoming.length ? upcoming.map((e) => eventCard(ctx, e)) : html`<p>${ctx.t('agenda.none')}</p>`}
${past.length ? html`<details class="past"><summary>${ctx.t('agenda.past')}</summary>${past.map((e) => eventCard(ctx, e))}</details>` : ''}`;
    portal.send(res, page(ctx, { title: ctx.t('agenda.title'), body }));
  });
}
