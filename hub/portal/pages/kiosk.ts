import type { Router } from 'express';
import { hubAddresses } from '../../addresses.js';
import { icon, plain, text, voice } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { LANGUAGE_NAMES } from '../i18n.js';
import { page, tile } from '../layout.js';
import type { Portal } from '../portal.js';
import { qrSvg, wifiPayload } from '../qr.js';
import { SECTIONS } from '../sections.js';
import { LANGUAGES } from '../../../content/index.js';
import { announcementCard, eventCard } from './bits.js';
import { answerCard } from './officials.js';
import { planSlides } from './plan-slides.js';
import { resultsBlock } from './participate.js';
import { consultationsByState, currentAnnouncements, publicAnswers, resultsVisible, upcomingEvents } from './queries.js';

/** The address a phone types or scans: the DNS name (phones do not resolve .local) and the IP. */
function phoneAddresses(ctx: PageContext): { name: string; ip: string | undefined } {
  const ip = hubAddresses(ctx.config, 80).find((u) => /^http:\/\/\d+\.\d+\.\d+\.\d+$/.test(u));
  return { name: `http://${ctx.config.dnsName}/`, ip: ip ? `${ip}/` : undefined };
}

async function qrPanel(ctx: PageContext): Promise<Html> {
  const { wifi } = ctx.config;
  const addr = phoneAddresses(ctx);
  return html`<section class="qrs" aria-label="${ctx.t('kiosk.continue')}">
  <h2>${icon(ctx, 'phone', 'i md')}${ctx.t('kiosk.continue')}</h2>
  <div class="qrgrid">
    <figure>${await qrSvg(wifiPayload(wifi.ssid, wifi.passphrase))}<figcaption><b>1.</b> ${ctx.t('kiosk.wifiQr')}<br>${icon(ctx, 'wifi', 'i sm')} ${ctx.t('kiosk.wifi', { ssid: wifi.ssid })}</figcaption></figure>
    <figure>${await qrSvg(addr.name)}<figcaption><b>2.</b> ${ctx.t('kiosk.addressQr')}<br><code>${addr.name}</code>${addr.ip ? html`<br><code>${addr.ip}</code>` : ''}</figcaption></figure>
  </div>
</section>`;
}

export function kioskRoutes(router: Router, portal: Portal): void {
  const { config } = portal.deps;

  router.get('/kiosk', async function kiosk(req, res) {
    // From now on this browser (the kiosk's) gets the kiosk layout on every page.
    res.cookie('mode', 'kiosk', { sameSite: 'lax', path: '/' });
    const ctx = { ...portal.ctx(req), kiosk: true };
    const now = Date.now();
    const { community } = portal.deps;
    const [announcements, events, byState, answers, mentoring] = await Promise.all([
      currentAnnouncements(portal, 4, now),
      upcomingEvents(portal, now).then((e) =>
        portal.digest.docs(
          'event',
          e.slice(0, 4).map((x) => x.id)
        )
      ),
      consultationsByState(portal, now),
      publicAnswers(portal.deps.dbs.submissions, config.hubId, 5),
      community.ready().then(() => community.publicAnswers(3)),
    ]);
    // The community wall: the newest posts published for every space, and mentors' public answers, with their voice.
    const posts = await Promise.all(community.board.newestPublished(4).map(async (e) => ({ e, doc: await community.doc(e.id) })));
    // Results of at most ten consultations are counted (the open ones showing them, then the last closed), shown in id order as before.
    const candidates = [...byState.open.filter((c) => c.resultsPublic), ...byState.closed]
      .slice(0, 10)
      .map((c) => c.id)
      .sort();
    const [consultations, officials] = await Promise.all([
      portal.digest.docs('consultation', candidates),
      portal.digest.docs('official', [...new Set(answers.map((a) => a.official))]),
    ]);
    const shownResults: Html[] = [];
    for (const c of consultations.filter((x) => resultsVisible(x, now))) {
      const r = await portal.deps.submissions.results(c, config.hubId);
      if (r.total > 0)
        shownResults.push(
          html`<section class="slide"><h2>${ctx.t('kiosk.result', { question: plain(ctx, c.question) })}</h2>${resultsBlock(ctx, c, r)}</section>`
        );
      if (shownResults.length >= 3) break;
    }
    const names = new Map(officials.map((o) => [o._id, o.name]));
    // The priority action plans: what was promised, what was done (issue 15).
    const plans = await planSlides(ctx, portal.deps.proposals, config.commune);
    const slides: Html[] = [
      ...announcements.slice(0, 4).map((a) => html`<section class="slide">${announcementCard(ctx, a)}</section>`),
      ...events.slice(0, 4).map((e) => html`<section class="slide">${eventCard(ctx, e)}</section>`),
      ...shownResults,
      ...plans,
      ...answers.map((a) => html`<section class="slide"><h2>${ctx.t('officials.answers')}</h2>${answerCard(ctx, a, names.get(a.official) ?? '')}</section>`),
      ...posts.map(
        ({ e, doc }) =>
          html`<section class="slide wall"><h2>${icon(ctx, 'speech', 'i md')}${ctx.t('community.wall')}</h2><p><b>${e.author.name}</b>${e.title ? html` — ${e.title}` : ''}</p>${doc?.text ? html`<p lang="${e.lang}">${doc.text.slice(0, 280)}</p>` : ''}${e.hasVoice ? html`<audio class="voice" controls preload="none" src="/communaute/voix/${encodeURIComponent(e.id)}"></audio>` : ''}</section>`
      ),
      ...mentoring.map(
        (a) =>
          html`<section class="slide wall"><h2>${icon(ctx, 'star', 'i md')}${ctx.t('community.mentoring')}</h2><p><b>${a.asked.author.name}</b> : ${(a.asked.text ?? '').slice(0, 200)}</p><p><b>${a.answers[0]!.by}</b> : ${(a.answers[0]!.text ?? '').slice(0, 280)}</p>${a.answers[0]!.voice ? html`<audio class="voice" controls preload="none" src="/media/${a.answers[0]!.voice}"></audio>` : ''}</section>`
      ),
    ];
    const idle = Math.min(60, Math.max(15, Math.floor(config.kiosk.idleSeconds / 2)));
    const body = html`<section class="hero">
  <div class="heading"><h1>${ctx.t('home.welcome', { space: config.spaceName })}</h1>${voice(ctx, 'home.intro')}</div>
  <p>${ctx.t('home.intro')}</p>
  <ul class="langrow">${LANGUAGES.map((l) => html`<li><a class="pill" href="/langue/${l}?next=%2Fkiosk" lang="${l}"${l === ctx.lang ? html` aria-current="true"` : ''}>${LANGUAGE_NAMES[l]}</a></li>`)}</ul>
</section>
<ul class="tiles">${SECTIONS.map((s) => tile(ctx, s))}</ul>
${await qrPanel(ctx)}
<div class="attract" data-attract data-idle="${idle}" hidden>
  <div class="slides">${slides.length ? slides : html`<section class="slide"><h2>${text(ctx, { fr: config.spaceName })}</h2></section>`}</div>
  <p class="touch">${icon(ctx, 'touch', 'i md')}${ctx.t('kiosk.touch')}</p>
</div>`;
    portal.send(res, page(ctx, { title: ctx.t('nav.home'), body, bodyClass: 'kioskhome' }));
  });
}
