import type { Router } from 'express';
import { heading } from '../components.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { pageOf, pager } from '../pager.js';
import type { Portal } from '../portal.js';
import { eventsByStart } from '../digest.js';
import { eventCard } from './bits.js';
import { upcomingEvents } from './queries.js';

export function agendaRoutes(router: Router, portal: Portal): void {
  router.get('/agenda', async function agenda(req, res) {
    const ctx = portal.ctx(req);
    const now = Date.now();
    const [upcoming, all] = await Promise.all([upcomingEvents(portal, now), portal.digest.of('event')]);
    const slice = pageOf(req.query, upcoming.length);
    // The five last past events, on the first page only (newest first: walk the start order backwards).
    const past: string[] = [];
    if (slice.page === 1) {
      const byStart = eventsByStart(all);
      for (let i = byStart.length - 1; i >= 0 && past.length < 5; i -= 1) if (byStart[i]!.ends < now) past.push(byStart[i]!.id);
    }
    const [shown, pastDocs] = await Promise.all([
      portal.digest.docs(
        'event',
        upcoming.slice(slice.start, slice.end).map((e) => e.id)
      ),
      portal.digest.docs('event', past),
    ]);
    const body = html`${heading(ctx, 'nav.agenda', 'agenda')}
<p class="lead">${ctx.t('agenda.intro')}</p>
${shown.length ? shown.map((e) => eventCard(ctx, e)) : html`<p>${ctx.t('agenda.none')}</p>`}
${pager(ctx, '/agenda', slice)}
${pastDocs.length ? html`<details class="past"><summary>${ctx.t('agenda.past')}</summary>${pastDocs.map((e) => eventCard(ctx, e))}</details>` : ''}`;
    portal.send(res, page(ctx, { title: ctx.t('agenda.title'), body }));
  });
}
