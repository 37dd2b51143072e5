import type { Router } from 'express';
import { isAppError, TRADE_SLUGS, tradeName, type ContentOf, type Opportunity, type TradeSlug } from '../../../content/index.js';
import { memberOf } from '../../members/index.js';
import { heading, icon, notice, richText, sampleMark, slugOf, summary, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { pageOf, pager } from '../pager.js';
import type { Portal } from '../portal.js';
import { signInPrompt } from './community.js';
import { byCode, byName } from '../order.js';

const tradeLabel = (ctx: PageContext, t: string) => tradeName(t, ctx.lang === 'bm' ? 'bm' : 'fr');
const today = () => new Date().toISOString().slice(0, 10);

/** Replicated docs carry what central wrote; the schema's defaults for the lists and the contact are filled in here. */
function withDefaults(o: ContentOf<'opportunity'>): Opportunity {
  return { ...o, trades: o.trades ?? [], communes: o.communes ?? [], for: o.for ?? [], contact: o.contact ?? {} };
}
const current = (o: { deadline: string }) => !o.deadline || o.deadline >= today();

function tags(ctx: PageContext, o: Opportunity): Html {
  return html`<p class="meta"><span class="tag">${icon(ctx, 'star', 'i sm')}${ctx.t(`opportunityKind.${o.kind}`)}</span>
${o.trades.length ? o.trades.map((t) => html` <span class="tag">${tradeLabel(ctx, t)}</span>`) : html` <span class="tag">${ctx.t('opportunities.everyTrade')}</span>`}
${o.for.includes('femmes') ? html` <span class="tag">${icon(ctx, 'woman', 'i sm')}${ctx.t('opportunities.forWomen')}</span>` : ''}
${o.for.includes('jeunes') ? html` <span class="tag">${ctx.t('opportunities.forYouth')}</span>` : ''} ${sampleMark(ctx, o.sample)}</p>`;
}

function card(ctx: PageContext, o: Opportunity): Html {
  return html`<article class="card opportunity" id="${slugOf(o._id)}">
  <h3><a href="/opportunites/${slugOf(o._id)}">${text(ctx, o.title)}</a></h3>
  ${tags(ctx, o)}
  <p>${summary(ctx, o.summary)}</p>
  ${o.deadline ? html`<p>${icon(ctx, 'clock', 'i sm')} ${ctx.t('opportunities.deadline', { date: ctx.fmt.date(`${o.deadline}T12:00:00Z`) })}</p>` : ''}
</article>`;
}

/**
 * Opportunities for artisans: a list a phone filters by trade and commune (the same matching
 * as the SMS notices), and a page for each where a signed-in member says "intéressé(e)": once
 * per member, counted by the member's sex and age band for whoever published it.
 */
export function opportunityRoutes(router: Router, portal: Portal): void {
  const { config, members, submissions } = portal.deps;
  const check = members.checkForm();

  router.get('/opportunites', async function opportunities(req, res) {
    const ctx = portal.ctx(req);
    const metier = typeof req.query.metier === 'string' ? req.query.metier : '';
    const trade = TRADE_SLUGS.includes(metier as TradeSlug) ? metier : '';
    const communes = (await portal.digest.of('commune'))
      .sorted('name', (a, b) => byName(a.name, b.name) || byCode(a.id, b.id))
      .filter((c) => c.kind === 'commune-urbaine' || c.kind === 'commune-rurale');
    const commune = communes.some((c) => slugOf(c.id) === req.query.commune) ? (req.query.commune as string) : '';
    const all = (await portal.digest.of('opportunity')).sorted('published', (a, b) => byCode(b.publishedAt, a.publishedAt) || byCode(a.id, b.id));
    const shown = all.filter((o) => current(o) && matchesFilter(o, trade, commune));
    const slice = pageOf(req.query, shown.length);
    const docs = (
      await portal.digest.docs(
        'opportunity',
        shown.slice(slice.start, slice.end).map((o) => o.id)
      )
    ).map(withDefaults);
    const body = html`${heading(ctx, 'nav.opportunities', 'star')}
<p class="lead">${ctx.t('opportunities.intro')}</p>
<form method="get" action="/opportunites" class="stack filters">
  <label for="metier">${ctx.t('opportunities.trade')}</label>
  <select id="metier" name="metier"><option value="">${ctx.t('opportunities.allTrades')}</option>${TRADE_SLUGS.map((t) => html`<option value="${t}"${t === trade ? html` selected` : ''}>${tradeLabel(ctx, t)}</option>`)}</select>
  <label for="commune">${ctx.t('opportunities.commune')}</label>
  <select id="commune" name="commune"><option value="">${ctx.t('opportunities.allCommunes')}</option>${communes.map((c) => html`<option value="${slugOf(c.id)}"${slugOf(c.id) === commune ? html` selected` : ''}>${c.name}</option>`)}</select>
  <button class="btn" type="submit">${icon(ctx, 'filter')}<span>${ctx.t('opportunities.filter')}</span></button>
</form>
${docs.length ? docs.map((o) => card(ctx, o)) : html`<p>${ctx.t('opportunities.none')}</p>`}
${pager(ctx, '/opportunites', slice, { ...(trade ? { metier: trade } : {}), ...(commune ? { commune } : {}) })}`;
    portal.send(res, page(ctx, { title: ctx.t('opportunities.title'), body }));
  });

  router.get('/opportunites/:slug', async function opportunity(req, res) {
    const ctx = portal.ctx(req);
    const o = withDefaults(await portal.deps.catalog.get(`opportunity:${req.params.slug}`));
    const me = memberOf(res);
    // A member's page says whether they already said it: never from the shared page cache.
    if (me) res.set('Cache-Control', 'no-store');
    const said = me ? await submissions.hasInterest(config.hubId, o._id, me.member.code) : false;
    const open = current({ deadline: o.deadline ?? '' });
    const dates = o.startsAt
      ? o.endsAt
        ? ctx.t('opportunities.dates', { from: ctx.fmt.date(o.startsAt), to: ctx.fmt.date(o.endsAt) })
        : ctx.fmt.dateTime(o.startsAt)
      : '';
    const here = `/opportunites/${slugOf(o._id)}`;
    const interest = !open
      ? notice(ctx, 'warn', ctx.t('opportunities.closed'))
      : req.query.merci === '1'
        ? notice(ctx, 'ok', ctx.t('opportunities.interestedDone'), 'merci')
        : said
          ? notice(ctx, 'info', ctx.t('opportunities.interestedAlready'), 'deja')
          : me
            ? html`<form method="post" action="${here}" class="stack">
  <input type="hidden" name="_csrf" value="${me.session.csrf}">
  <button class="btn big" type="submit">${icon(ctx, 'check')}<span>${ctx.t('opportunities.interested')}</span></button>
</form>`
            : html`<p>${ctx.t('opportunities.membersOnly')}</p>${signInPrompt(ctx, here)}`;
    const body = html`<p><a class="back" href="/opportunites">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.opportunities')}</a></p>
<article class="opportunity">
<h1>${icon(ctx, 'star', 'i hi')}<span>${text(ctx, o.title)}</span></h1>
${tags(ctx, o)}
<p class="lead">${text(ctx, o.summary)}</p>
${dates ? html`<p>${icon(ctx, 'agenda', 'i sm')} ${dates}</p>` : ''}
${o.communes.length ? html`<p>${icon(ctx, 'pin', 'i sm')} ${o.communes.join(', ')}</p>` : ''}
${o.deadline ? html`<p>${icon(ctx, 'clock', 'i sm')} ${ctx.t('opportunities.deadline', { date: ctx.fmt.date(`${o.deadline}T12:00:00Z`) })}</p>` : ''}
${richText(ctx, o.body)}
<h2>${ctx.t('opportunities.howToRespond')}</h2>
${richText(ctx, o.howToRespond)}
${o.contact.phone || o.contact.place ? html`<p>${icon(ctx, 'phone', 'i sm')} ${ctx.t('opportunities.contact', { contact: [o.contact.place, o.contact.phone].filter(Boolean).join(' · ') })}</p>` : ''}
<p class="meta">${ctx.t('opportunities.publisher', { publisher: o.publisher })}</p>
${interest}
</article>`;
    portal.send(res, page(ctx, { title: `${ctx.t('nav.opportunities')} — ${text(ctx, o.title).toString()}`.replace(/<[^>]+>/g, ''), body }));
  });

  router.post(
    '/opportunites/:slug',
    async function membersOnly(req, res, next) {
      if (memberOf(res)) return void next();
      // A visitor without a member code: back to the page, which says how to sign in; nothing stored.
      res.redirect(303, `/opportunites/${String(req.params.slug)}`);
    },
    check,
    async function interested(req, res) {
      const ctx = portal.ctx(req);
      const slug = String(req.params.slug);
      const { member } = memberOf(res)!;
      try {
        await submissions.interest(
          { opportunity: `opportunity:${slug}`, member, channel: ctx.kiosk ? 'kiosk' : 'web', lang: ctx.lang },
          { hubId: config.hubId }
        );
      } catch (e) {
        // Already said: the page shows it; closed: the page says so.
        if (isAppError(e) && (e.reason === 'already-interested' || e.reason === 'opportunity-closed')) return void res.redirect(303, `/opportunites/${slug}`);
        throw e;
      }
      res.redirect(303, `/opportunites/${slug}?merci=1#merci`);
    }
  );
}

/** For a trade and a commune chosen: the SMS notices' matching (no trade or no commune named means all); left open: any. */
function matchesFilter(o: { trades: readonly string[]; communes: readonly string[] }, trade: string, commune: string): boolean {
  return (!trade || o.trades.length === 0 || o.trades.includes(trade)) && (!commune || o.communes.length === 0 || o.communes.includes(commune));
}
