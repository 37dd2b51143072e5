import { latestProgress, type Plan, type PlanAction } from '../../../content/index.js';
import type { ProposalService } from '../../proposals/index.js';
import { bar, icon, plain, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { planProgress } from './proposals.js';

/** Actions a slide shows: a TV screen read from a few steps away holds no more. */
const ACTIONS_PER_SLIDE = 4;

function promised(ctx: PageContext, a: PlanAction): string {
  const t = a.indicator;
  const parts = [
    t.total !== undefined ? ctx.fmt.number(t.total) : '',
    t.bySex?.F !== undefined ? `${ctx.t('plans.women')} ${ctx.fmt.number(t.bySex.F)}` : '',
  ].filter(Boolean);
  return `${plain(ctx, t.label)}${parts.length ? ` : ${parts.join(' · ')}` : ''}`;
}

function achieved(ctx: PageContext, a: PlanAction): string {
  const got = latestProgress(a)?.achieved;
  if (!got) return '';
  return [got.total !== undefined ? ctx.fmt.number(got.total) : '', got.F !== undefined ? `${ctx.t('plans.women')} ${ctx.fmt.number(got.F)}` : '']
    .filter(Boolean)
    .join(' · ');
}

/** One slide of a plan: what was promised (each action's target) beside what was done (status, share, achieved). */
function planSlide(ctx: PageContext, p: Plan): Html {
  const { done } = planProgress(p);
  const actions = p.priorities.flatMap((r) => r.actions).slice(0, ACTIONS_PER_SLIDE);
  return html`<section class="slide plan"><h2>${icon(ctx, 'chart', 'i md')}${ctx.t('kiosk.plans')}</h2>
<p><b>${text(ctx, p.title)}</b></p>
<p class="progress">${bar(done)} <b>${ctx.t('plans.done', { share: Math.round(done) })}</b></p>
<table class="promised"><thead><tr><th>${ctx.t('kiosk.planPromised')}</th><th>${ctx.t('kiosk.planDone')}</th></tr></thead><tbody>${actions.map((a) => {
    const last = latestProgress(a);
    const got = achieved(ctx, a);
    return html`<tr><td>${text(ctx, a.title)}<br><small>${promised(ctx, a)}</small></td><td data-status="${last?.status ?? 'a-venir'}">${ctx.t(`plans.status.${last?.status ?? 'a-venir'}`)} · ${ctx.t('plans.done', { share: Math.round(last?.done ?? 0) })}${got ? html`<br><small>${ctx.t('plans.achieved')} : ${got}</small>` : ''}</td></tr>`;
  })}</tbody></table></section>`;
}

/**
 * The plans in the kiosk's attract loop (issue 15): those of this hub's commune first, then the
 * others, a slide each. Content only, on the hub: shown with no uplink at all.
 */
export async function planSlides(ctx: PageContext, proposals: ProposalService, commune: string, max = 2): Promise<Html[]> {
  const plans = await proposals.plans();
  const ours = [...plans.filter((p) => p.communes.includes(commune)), ...plans.filter((p) => !p.communes.includes(commune))];
  return ours.slice(0, max).map((p) => planSlide(ctx, p));
}
