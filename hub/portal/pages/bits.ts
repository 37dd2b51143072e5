import type { Audio, ContentOf, Consultation, Event } from '../../../content/index.js';
import { icon, play, plain, richText, sampleMark, slugOf, summary, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';

/** Pieces shown on several pages (home, agenda, kiosk). */
/** An event; `brief` (the home page on a phone) leaves the description to the agenda. */
export function eventCard(ctx: PageContext, e: Event, brief = false): Html {
  const d = new Date(e.startsAt);
  return html`<article class="card event" id="${slugOf(e._id)}">
  <div class="datebox" aria-hidden="true"><b>${ctx.fmt.dayMonth(d).split(' ')[0]}</b><span>${ctx.fmt.dayMonth(d).split(' ').slice(1).join(' ')}</span></div>
  <div class="grow">
    <div class="titlerow"><h3>${text(ctx, e.title)}</h3>${play(ctx, e.titleAudio, plain(ctx, e.title))}</div>
    <p class="meta"><span class="tag">${icon(ctx, 'agenda', 'i sm')}${ctx.t(`eventKind.${e.kind}`)}</span> ${sampleMark(ctx, e.sample)}</p>
    <p>${icon(ctx, 'clock', 'i sm')} <time datetime="${e.startsAt}">${ctx.fmt.dateTime(e.startsAt)}</time></p>
    <p>${icon(ctx, 'pin', 'i sm')} ${ctx.t('agenda.place', { place: e.place })}</p>
    ${brief ? (e.description ? html`<p><a href="/agenda#${slugOf(e._id)}">${ctx.t('common.seeAll')}</a></p>` : '') : richText(ctx, e.description)}
  </div>
</article>`;
}

/** An announcement: in full on the kiosk loop, its first lines on the home page. */
export function announcementCard(ctx: PageContext, a: ContentOf<'announcement'>, short = false): Html {
  return html`<article class="card announce" id="${slugOf(a._id)}">
  ${a.image ? html`<img class="cover" src="/media/${a.image}" alt="" loading="lazy">` : ''}
  <div class="titlerow"><h3>${icon(ctx, 'megaphone', 'i sm')}${text(ctx, a.title)}</h3>${play(ctx, a.titleAudio, plain(ctx, a.title))}</div>
  <p class="meta"><time datetime="${a.publishedAt}">${ctx.fmt.date(a.publishedAt)}</time> ${sampleMark(ctx, a.sample)}</p>
  ${short ? html`<p>${summary(ctx, a.body)}</p>` : html`${play(ctx, (a as { bodyAudio?: Audio }).bodyAudio, plain(ctx, a.title))}${richText(ctx, a.body)}`}
</article>`;
}

export function consultationLink(ctx: PageContext, c: Consultation): Html {
  return html`<li class="card consult"><a class="rowlink" href="/participer/${slugOf(c._id)}">${icon(ctx, 'participate', 'i md')}<span class="grow"><b>${text(ctx, c.question)}</b><small>${ctx.t('participate.until', { date: ctx.fmt.date(c.closesAt) })}</small></span>${icon(ctx, 'chevron', 'i sm')}</a>${play(ctx, c.questionAudio, plain(ctx, c.question))}</li>`;
}
