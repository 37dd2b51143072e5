import express, { type Request, type Response, type Router } from 'express';
import {
  AppError,
  BENEFICIARIES,
  isAppError,
  latestProgress,
  POST_LANGUAGES,
  PROPOSAL_TEXT_MAX,
  PROPOSAL_THEMES,
  type Plan,
  type PlanAction,
} from '../../../content/index.js';
import { memberOf, type SignedInMember } from '../../members/index.js';
import { ProposalRefused, type ProposalView } from '../../proposals/index.js';
import { bar, heading, icon, notice, plain, slugOf, text } from '../components.js';
import type { PageContext } from '../context.js';
import { fieldError, formNotice, invalid, rateLimited, type FormProblem } from '../form-errors.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { pageOf, pager, type Slice } from '../pager.js';
import type { Portal } from '../portal.js';
import { signInPrompt, voiceForm, voiceInput, voiceOf_ } from './community.js';
import { keepButton } from './keep.js';
import { formBody } from '../../http/index.js';

const BASE = '/propositions';
const PLANS = '/plans';
const proposalUrl = (id: string) => `${BASE}/${encodeURIComponent(id)}`;
const VOICE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'; media-src 'self'",
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** What the member typed, written back on a refusal (never the recording). */
type Typed = Partial<Record<'title' | 'text' | 'lang' | 'commune' | 'theme' | 'cost', string>> & { beneficiaries?: string[] };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

function token(me: SignedInMember): Html {
  return html`<input type="hidden" name="_csrf" value="${me.session.csrf}" />`;
}

function statusBadge(ctx: PageContext, v: ProposalView): Html {
  const cls =
    v.status === 'retenue' || v.status === 'deja-prevue' ? 'published' : v.status === 'rejetee' ? 'rejected' : v.status === 'etude' ? 'sent' : 'pending';
  return html`<span class="state ${cls}" data-status="${v.status}">${ctx.t(`proposals.status.${v.status}`)}</span>`;
}

function supportCount(ctx: PageContext, v: ProposalView): Html {
  return html`<p class="meta supports">
    ${bar((v.supports.total / v.threshold) * 100)}
    <b>${ctx.t('proposals.supports', { count: v.supports.total, threshold: v.threshold })}</b
    >${v.supports.paper ? html` <small>(${ctx.t('proposals.onPaper', { count: v.supports.paper })})</small>` : ''}
  </p>`;
}

export function proposalRoutes(router: Router, portal: Portal): void {
  const { proposals, members } = portal.deps;
  const multipart = voiceForm();
  const small = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  const check = members.checkForm();

  async function listPage(req: Request, res: Response): Promise<Html> {
    const ctx = portal.ctx(req);
    const me = memberOf(res);
    const commune = typeof req.query.commune === 'string' ? req.query.commune : '';
    let slice: Slice | undefined;
    const { items: all, total } = await proposals.page(commune ? { commune } : {}, (n) => (slice = pageOf(req.query, n)));
    const communes = await proposals.communes();
    const body = html`<p><a class="back" href="/participer">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.participate')}</a></p>
      ${heading(ctx, 'proposals.title', 'pen')}
      <p class="lead">${ctx.t('proposals.intro')}</p>
      ${
        me
          ? html`<p>
              <a class="btn big" href="${BASE}/nouvelle">${icon(ctx, 'pen')}<span>${ctx.t('proposals.new')}</span></a>
            </p>`
          : signInPrompt(ctx, BASE)
      }
      <form method="get" action="${BASE}" class="inline">
        <label for="f-commune">${ctx.t('proposals.commune')}</label>
        <select id="f-commune" name="commune">
          <option value="">${ctx.t('proposals.allCommunes')}</option>
          ${communes.map((c) => html`<option value="${c.id}" ${c.id === commune ? html` selected` : ''}>${c.name}</option>`)}
        </select>
        <button class="btn small secondary" type="submit">${ctx.t('proposals.filter')}</button>
      </form>
      <ul class="list proposals">
        ${all.map(
          (v) =>
            html`<li class="card">
              <a class="rowlink" href="${proposalUrl(v.id)}"
                ><span class="grow"
                  ><b>${v.title}</b
                  ><small
                    >${v.author.name} · ${v.commune} · ${ctx.t(`proposals.theme.${v.theme}`)} ·
                    ${ctx.t('proposals.supports', { count: v.supports.total, threshold: v.threshold })}</small
                  ></span
                >${statusBadge(ctx, v)}</a
              >
            </li>`
        )}
      </ul>
      ${total ? pager(ctx, BASE, slice!, { commune }) : html`<p>${ctx.t('proposals.none')}</p>`}
      <p>
        <a class="btn secondary" href="${PLANS}">${icon(ctx, 'chart')}<span>${ctx.t('plans.title')}</span></a>
      </p>`;
    return page(ctx, { title: ctx.t('proposals.title'), body });
  }

  router.get(BASE, async function proposalList(req, res) {
    if (memberOf(res)) res.set('Cache-Control', 'no-store');
    portal.send(res, await listPage(req, res));
  });

  async function formPage(req: Request, res: Response, problem?: FormProblem, typed: Typed = {}): Promise<Html> {
    const ctx = portal.ctx(req);
    const me = memberOf(res);
    const communes = await proposals.communes();
    const commune = typed.commune ?? portal.deps.config.commune;
    const lang = typed.lang ?? ctx.lang;
    const benef = typed.beneficiaries ?? [];
    const body = html`<p><a class="back" href="${BASE}">${icon(ctx, 'back', 'i sm')}${ctx.t('proposals.title')}</a></p>
      ${heading(ctx, 'proposals.new', 'pen')} ${formNotice(ctx, problem)}
      ${
        me
          ? html`<form method="post" action="${BASE}/nouvelle" enctype="multipart/form-data" class="stack" novalidate>
              ${token(me)} <label for="title">${ctx.t('proposals.titleLabel')}</label>${fieldError(ctx, problem, 'title')}
              <input id="title" name="title" maxlength="120" value="${typed.title ?? ''}" ${invalid(problem, 'title')} />
              <label for="text">${ctx.t('proposals.textLabel')}</label>${fieldError(ctx, problem, 'text')}
              <textarea id="text" name="text" rows="5" maxlength="${PROPOSAL_TEXT_MAX}" ${invalid(problem, 'text')}>${typed.text ?? ''}</textarea>
              ${voiceInput(ctx, 'proposals.voiceLabel', fieldError(ctx, problem, 'voice'), invalid(problem, 'voice'))}
              <label for="lang">${ctx.t('community.langLabel')}</label>
              <select id="lang" name="lang">
                ${POST_LANGUAGES.map((l) => html`<option value="${l}" ${l === lang ? html` selected` : ''}>${ctx.t(`community.lang.${l}`)}</option>`)}
              </select>
              <label for="commune">${ctx.t('proposals.commune')}</label>${fieldError(ctx, problem, 'commune')}
              <select id="commune" name="commune" ${invalid(problem, 'commune')}>
                ${communes.map((c) => html`<option value="${c.id}" ${c.id === commune ? html` selected` : ''}>${c.name}</option>`)}
              </select>
              <label for="theme">${ctx.t('proposals.themeLabel')}</label>${fieldError(ctx, problem, 'theme')}
              <select id="theme" name="theme" ${invalid(problem, 'theme')}>
                ${PROPOSAL_THEMES.map((t) => html`<option value="${t}" ${t === typed.theme ? html` selected` : ''}>${ctx.t(`proposals.theme.${t}`)}</option>`)}
              </select>
              <fieldset id="beneficiaries">
                <legend>${ctx.t('proposals.beneficiaries')}</legend>
                ${fieldError(ctx, problem, 'beneficiaries')}
                ${BENEFICIARIES.map((b) => html`<label class="pill"><input type="checkbox" name="beneficiaries" value="${b}" ${benef.includes(b) ? html` checked` : ''} /><span>${ctx.t(`proposals.for.${b}`)}</span></label>`)}
              </fieldset>
              <label for="cost">${ctx.t('proposals.costLabel')}</label>${fieldError(ctx, problem, 'cost')}
              <input id="cost" name="cost" inputmode="numeric" maxlength="20" value="${typed.cost ?? ''}" ${invalid(problem, 'cost')} />
              <button class="btn big" type="submit">${icon(ctx, 'send')}<span>${ctx.t('proposals.send')}</span></button>
            </form>`
          : signInPrompt(ctx, `${BASE}/nouvelle`)
      }`;
    return page(ctx, { title: ctx.t('proposals.new'), body });
  }

  router.get(`${BASE}/nouvelle`, async function newProposal(req, res) {
    res.set('Cache-Control', 'no-store');
    portal.send(res, await formPage(req, res));
  });

  router.post(`${BASE}/nouvelle`, members.require(), multipart, check, async function propose(req, res) {
    const ctx = portal.ctx(req);
    const f = formBody(req.body);
    const str = (k: string) => (typeof f[k] === 'string' ? f[k] : undefined);
    const typed: Typed = {
      title: str('title')?.slice(0, 200),
      text: str('text')?.slice(0, PROPOSAL_TEXT_MAX * 2),
      lang: str('lang') ?? ctx.lang,
      commune: str('commune'),
      theme: str('theme'),
      cost: str('cost')?.slice(0, 30),
      beneficiaries: list(f.beneficiaries),
    };
    const me = memberOf(res)!;
    const tooLong = Boolean(res.locals.voiceTooLong);
    // The phone sent too many forms this minute: the form comes back with what was typed.
    if (rateLimited(req)) return void portal.send(res, await formPage(req, res, { fields: {}, form: 'error.tooMany' }, typed), 429);
    try {
      // A recording too long is refused with the other fields' mistakes; nothing is stored.
      if (tooLong) throw new ProposalRefused({ ...(await proposals.check(typed)).fields, voice: 'voice-too-long' });
      const v = await proposals.propose(me.member, { ...typed, voice: voiceOf_(req, res) }, me.session.via);
      return void res.redirect(303, `${proposalUrl(v.id)}?envoye=1#envoye`);
    } catch (e) {
      if (!(e instanceof ProposalRefused)) throw e;
      const fields = Object.fromEntries(Object.entries(e.fields).map(([k, r]) => [k, `proposals.err.${r}`]));
      res.set('Cache-Control', 'no-store');
      return void portal.send(res, await formPage(req, res, { fields }, typed), 422);
    }
  });

  async function proposalPage(req: Request, res: Response, id: string, error?: string): Promise<Html> {
    const ctx = portal.ctx(req);
    const me = memberOf(res);
    const v = await proposals.get(id);
    const plans = await proposals.plansFor(id);
    const supported = me ? proposals.hasSupported(id, me.member.code) : false;
    const open = !v.answer || v.answer.pending;
    const body = html`<p><a class="back" href="${BASE}">${icon(ctx, 'back', 'i sm')}${ctx.t('proposals.title')}</a></p>
      <article class="proposal">
        <h1>${v.title}</h1>
        <p class="meta">
          <b>${v.author.name}</b> · ${ctx.fmt.date(v.createdAt)} · ${v.commune} · ${ctx.t(`proposals.theme.${v.theme}`)} ${statusBadge(ctx, v)}
        </p>
        ${req.query.envoye === '1' ? notice(ctx, 'ok', ctx.t('proposals.sent'), 'envoye') : ''}
        ${req.query.soutenu === '1' ? notice(ctx, 'ok', ctx.t('proposals.thanks'), 'soutenu') : ''} ${error ? notice(ctx, 'err', error, 'erreur') : ''}
        ${v.text ? html`<div class="text" lang="${v.lang}">${v.text.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}</div>` : ''}
        ${v.hasVoice ? html`<audio class="voice" controls preload="none" src="${proposalUrl(v.id)}/voix"></audio>` : ''}
        <p class="meta">
          ${ctx.t('proposals.for')} : ${v.beneficiaries.length ? v.beneficiaries.map((b) => ctx.t(`proposals.for.${b}`)).join(', ') : ctx.t('proposals.forAll')}
          · ${ctx.t('proposals.cost', { cost: ctx.fmt.number(v.cost) })}
        </p>
        ${supportCount(ctx, v)}
        ${
          v.answer
            ? html`<section class="answer" id="reponse">
                ${heading(ctx, 'proposals.answer', 'speech', 2)}
                <p><b>${ctx.t(`proposals.status.${v.answer.decision}`)}</b> — ${v.answer.by}, ${ctx.fmt.date(v.answer.at)}</p>
                <p>${v.answer.reason}</p>
              </section>`
            : ''
        }
        ${
          open
            ? me
              ? supported
                ? notice(ctx, 'info', ctx.t('proposals.alreadySupported'))
                : html`<form method="post" action="${proposalUrl(v.id)}/soutenir">
                    ${token(me)}<button class="btn big" type="submit">${icon(ctx, 'check')}<span>${ctx.t('proposals.support')}</span></button>
                  </form>`
              : signInPrompt(ctx, proposalUrl(v.id))
            : ''
        }
        ${
          plans.length
            ? html`<section>
                ${heading(ctx, 'plans.inPlans', 'chart', 2)}
                <ul class="list">
                  ${plans.map(
                    (p) =>
                      html`<li class="card">
                        <a class="rowlink" href="${PLANS}/${slugOf(p._id)}"
                          ><span class="grow"><b>${text(ctx, p.title)}</b></span
                          >${icon(ctx, 'chevron', 'i sm')}</a
                        >
                      </li>`
                  )}
                </ul>
              </section>`
            : ''
        }
      </article>`;
    return page(ctx, { title: v.title, body });
  }

  router.get(`${BASE}/:id`, async function proposal(req, res) {
    if (memberOf(res)) res.set('Cache-Control', 'no-store');
    portal.send(res, await proposalPage(req, res, req.params.id));
  });

  router.post(
    `${BASE}/:id/soutenir`,
    small,
    async function membersOnly(req, res, next) {
      if (memberOf(res)) return void next();
      // A visitor without a code: the page again, saying how to sign in; nothing stored.
      const ctx = portal.ctx(req);
      res.set('Cache-Control', 'no-store');
      portal.send(res, await proposalPage(req, res, String(req.params.id), ctx.t('proposals.err.member')), 401);
    },
    check,
    async function support(req, res) {
      const ctx = portal.ctx(req);
      const id = String(req.params.id);
      try {
        await proposals.support(memberOf(res)!.member, id);
      } catch (e) {
        if (!isAppError(e) || e.status >= 500 || e.status === 404) throw e;
        res.set('Cache-Control', 'no-store');
        const key = e.reason === 'already-supported' ? 'proposals.alreadySupported' : e.reason === 'proposal-closed' ? 'proposals.err.closed' : 'common.error';
        return void portal.send(res, await proposalPage(req, res, id, ctx.t(key)), e.status);
      }
      res.redirect(303, `${proposalUrl(id)}?soutenu=1#soutenu`);
    }
  );

  router.get(`${BASE}/:id/voix`, async function proposalVoice(req, res) {
    const v = await proposals.get(req.params.id);
    if (v.voice && (await portal.deps.media.has(v.voice))) return void res.redirect(302, `/media/${v.voice}`);
    const local = await proposals.localVoice(v.id);
    if (!local) throw new AppError(404, 'voice-not-yet-here', 'the recording has not reached this hub yet; it comes with the next sync');
    res.set({ 'Content-Type': local.mime, 'Cache-Control': 'no-cache', ...VOICE_HEADERS }).send(local.data);
  });

  // —— plans ——

  router.get(PLANS, async function planList(req, res) {
    const ctx = portal.ctx(req);
    const plans = await proposals.plans();
    const body = html`<p><a class="back" href="/participer">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.participate')}</a></p>
      ${heading(ctx, 'plans.title', 'chart')}
      <p class="lead">${ctx.t('plans.intro')}</p>
      <ul class="list plans">
        ${plans.map((p) => {
          const { done } = planProgress(p);
          return html`<li class="card">
            <a class="rowlink" href="${PLANS}/${slugOf(p._id)}"
              ><span class="grow"
                ><b>${text(ctx, p.title)}</b
                ><small
                  >${ctx.t(`plans.scope.${p.scope}`)} · ${p.period.start.slice(0, 4)}–${p.period.end.slice(0, 4)} ·
                  ${ctx.t('plans.done', { share: Math.round(done) })}</small
                ></span
              >${icon(ctx, 'chevron', 'i sm')}</a
            >
          </li>`;
        })}
      </ul>
      ${plans.length ? '' : html`<p>${ctx.t('plans.none')}</p>`}`;
    portal.send(res, page(ctx, { title: ctx.t('plans.title'), body }));
  });

  router.get(`${PLANS}/:slug`, async function plan(req, res) {
    const ctx = portal.ctx(req);
    const p = await proposals.plan(`plan:${req.params.slug}`);
    const { done, budget, spent } = planProgress(p);
    const body = html`<p><a class="back" href="${PLANS}">${icon(ctx, 'back', 'i sm')}${ctx.t('plans.title')}</a></p>
      <article class="plan">
        <h1>${text(ctx, p.title)}</h1>
        <p class="meta">${ctx.t(`plans.scope.${p.scope}`)} · ${p.communes.join(', ')} · ${ctx.fmt.date(p.period.start)} – ${ctx.fmt.date(p.period.end)}</p>
        ${p.summary ? html`<p class="lead">${text(ctx, p.summary)}</p>` : ''} ${keepButton(ctx, `/hors-ligne/liste/plan/${slugOf(p._id)}`)}
        <p class="meta progress">
          ${bar(done)} <b>${ctx.t('plans.done', { share: Math.round(done) })}</b> ·
          ${ctx.t('plans.budget', { budget: ctx.fmt.number(budget), spent: ctx.fmt.number(spent) })}
        </p>
        ${p.priorities.map(
          (x) =>
            html`<section class="priority">
              <h2>${text(ctx, x.title)}</h2>${x.description ? html`<p>${text(ctx, x.description)}</p>` : ''}
              <ol class="actions">
                ${x.actions.map((a) => actionItem(ctx, a))}
              </ol>
            </section>`
        )}
        ${p.source ? html`<p class="meta">${ctx.t('plans.source')} : ${p.source}</p>` : ''}
      </article>`;
    portal.send(res, page(ctx, { title: plain(ctx, p.title), body }));
  });
}

/** The plan's share done (actions weighted by budget), its budget and what was spent. */
export function planProgress(p: Plan): { done: number; budget: number; spent: number } {
  let budget = 0;
  let weighted = 0;
  let spent = 0;
  let n = 0;
  let shares = 0;
  for (const x of p.priorities) {
    for (const a of x.actions) {
      const last = latestProgress(a);
      budget += a.budget;
      weighted += a.budget * (last?.done ?? 0);
      spent += last?.spent ?? 0;
      shares += last?.done ?? 0;
      n += 1;
    }
  }
  return { done: budget > 0 ? weighted / budget : n ? shares / n : 0, budget, spent };
}

function actionItem(ctx: PageContext, a: PlanAction): Html {
  const last = latestProgress(a);
  const t = a.indicator;
  const target = [
    t.total !== undefined ? ctx.fmt.number(t.total) : '',
    t.bySex?.F !== undefined ? `${ctx.t('plans.women')} ${ctx.fmt.number(t.bySex.F)}` : '',
    t.bySex?.M !== undefined ? `${ctx.t('plans.men')} ${ctx.fmt.number(t.bySex.M)}` : '',
    ...Object.entries(t.byAge ?? {}).map(([band, n]) => `${band} ${ctx.t('plans.years')} : ${ctx.fmt.number(n)}`),
  ]
    .filter(Boolean)
    .join(' · ');
  return html`<li class="card action" id="action-${a.id}">
    <h3>${text(ctx, a.title)}</h3>
    <p class="meta">
      ${ctx.t('plans.responsible')} : ${a.responsible} · ${ctx.t('plans.actionBudget', { budget: ctx.fmt.number(a.budget) })} · ${ctx.fmt.date(a.period.start)}
      – ${ctx.fmt.date(a.period.end)}
    </p>
    <p class="meta">${ctx.t('plans.indicator')} : ${text(ctx, t.label)}${t.unit ? ` (${t.unit})` : ''} — ${ctx.t('plans.target')} : ${target || '—'}</p>
    <p class="meta progress">
      ${bar(last?.done ?? 0)}
      <b data-status="${last?.status ?? 'a-venir'}"
        >${ctx.t(`plans.status.${last?.status ?? 'a-venir'}`)} · ${ctx.t('plans.done', { share: Math.round(last?.done ?? 0) })}</b
      >${last ? html` <small>(${ctx.fmt.date(last.at)})</small>` : ''}
    </p>
    ${last?.note ? html`<p>${text(ctx, last.note)}</p>` : ''}
    ${last?.achieved ? html`<p class="meta">${ctx.t('plans.achieved')} : ${[last.achieved.total !== undefined ? ctx.fmt.number(last.achieved.total) : '', last.achieved.F !== undefined ? `${ctx.t('plans.women')} ${ctx.fmt.number(last.achieved.F)}` : '', last.achieved.M !== undefined ? `${ctx.t('plans.men')} ${ctx.fmt.number(last.achieved.M)}` : ''].filter(Boolean).join(' · ')}</p>` : ''}
    ${
      last?.evidence?.length
        ? html`<ul class="evidence">
            ${last.evidence.map((e) =>
              e.kind === 'voix'
                ? html`<li><audio class="voice" controls preload="none" src="/media/${e.media}"></audio></li>`
                : e.kind === 'photo'
                  ? html`<li>
                      <img src="/media/${e.media}" alt="${e.caption ? plain(ctx, e.caption) : ctx.t('plans.evidence.photo')}" loading="lazy" width="320" />
                    </li>`
                  : html`<li>
                      <a href="/media/${e.media}">${icon(ctx, 'inform', 'i sm')}${e.caption ? plain(ctx, e.caption) : ctx.t('plans.evidence.document')}</a>
                    </li>`
            )}
          </ul>`
        : ''
    }
    ${
      a.proposals?.length || a.consultations?.length
        ? html`<p class="meta">
            ${ctx.t('plans.from')} :
            ${(a.proposals ?? []).map((id) => html`<a href="${BASE}/${encodeURIComponent(id.startsWith('proposal:') ? id.slice('proposal:'.length).replace(/^([a-z0-9-]+?)-proposal-/, '$1:proposal:') : id)}">${ctx.t('plans.aProposal')}</a> `)}${(a.consultations ?? []).map((c) => html`<a href="/participer/${slugOf(c)}">${ctx.t('plans.aConsultation')}</a> `)}
          </p>`
        : ''
    }
  </li>`;
}
