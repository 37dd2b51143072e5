import type { Router } from 'express';
import { heading, voice } from '../components.js';
import { html } from '../html.js';
import { page, tile } from '../layout.js';
import type { Portal } from '../portal.js';
import { languageOf } from '../request.js';
import { SECTIONS } from '../sections.js';
import { announcementCard, consultationLink, eventCard } from './bits.js';
import { consultationsByState, currentAnnouncements, upcomingEvents } from './queries.js';

export function homeRoutes(router: Router, portal: Portal): void {
  router.get('/', async function home(req, res) {
    // First visit: the language picker comes before anything else.
    if (!languageOf(req)) return void res.redirect(303, '/langue?next=%2F');
    const ctx = portal.ctx(req);
    const now = Date.now();
    // Only what the page shows is read: three announcements, three events, two consultations.
    const [announcements, events, consultations] = await Promise.all([
      currentAnnouncements(portal, 3, now),
      upcomingEvents(portal, now).then((e) =>
        portal.digest.docs(
          'event',
          e.slice(0, 3).map((x) => x.id)
        )
      ),
      consultationsByState(portal, now).then((c) =>
        portal.digest.docs(
          'consultation',
          c.open.slice(0, 2).map((x) => x.id)
        )
      ),
    ]);
    const body = html`<section class="hero">
  <div class="heading"><h1>${ctx.t('home.welcome', { space: ctx.config.spaceName })}</h1>${voice(ctx, 'home.intro')}</div>
  <p>${ctx.t('home.intro')}</p>
</section>
<ul class="tiles">${[...SECTIONS, { key: 'nav.offline', path: '/hors-ligne', icon: 'offline' }].map((s) => tile(ctx, s))}</ul>
${consultations.length ? html`<section>${heading(ctx, 'home.openConsultations', 'participate', 2)}<ul class="list">${consultations.slice(0, 2).map((c) => consultationLink(ctx, c))}</ul></section>` : ''}
${announcements.length ? html`<section>${heading(ctx, 'home.announcements', 'megaphone', 2)}${announcements.slice(0, 3).map((a) => announcementCard(ctx, a, true))}</section>` : ''}
<section>${heading(ctx, 'home.nextEvents', 'agenda', 2)}
${events.length ? events.slice(0, 3).map((e) => eventCard(ctx, e, !ctx.kiosk)) : html`<p>${ctx.t('home.noEvents')}</p>`}
<p><a class="more" href="/agenda">${ctx.t('common.seeAll')}</a></p>
</section>`;
    portal.send(res, page(ctx, { title: ctx.t('nav.home'), body }));
  });
}
