import type { Router } from 'express';
import { AGE_BANDS, isAppError, SEXES, TRADE_SLUGS, TRADES } from '../../../content/index.js';
import { heading, icon, notice, slugOf, voice } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { fieldError, formNotice, invalid, checkForm, rateLimited, typed, type FormProblem } from '../form-errors.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';
import { formList } from '../../http/index.js';
import { byCode, byName } from '../order.js';

interface FormState {
  done?: boolean;
  problem?: FormProblem;
  values?: Record<string, string>;
}

const FIELDS = ['fullName', 'sex', 'ageBand', 'commune', 'phone', 'organisation', 'consent', 'smsConsent'] as const;
/** The catalog's sentence for each field the schema may refuse. */
const FIELD_KEYS: Record<string, string> = {
  fullName: 'form.fullName',
  sex: 'form.sex',
  ageBand: 'form.ageBand',
  commune: 'form.commune',
  phone: 'form.phone',
  organisation: 'form.organisation',
  consent: 'register.needConsent',
  trades: 'form.trades',
};

export function registerRoutes(router: Router, portal: Portal): void {
  const { config } = portal.deps;

  async function form(ctx: PageContext, state: FormState): Promise<Html> {
    // Communes are a few hundred at most in a region (their summaries: id, name, kind).
    const communes = (await portal.digest.of('commune'))
      .sorted('name', (a, b) => byName(a.name, b.name) || byCode(a.id, b.id))
      .filter((c) => c.kind === 'commune-urbaine' || c.kind === 'commune-rurale');
    const communeNames = new Map(communes.map((c) => [slugOf(c.id), c.name]));
    const v = state.values ?? {};
    const chosenCommune = v.commune || config.commune;
    const p = state.problem;
    const chosenTrades = (v.trades ?? '').split(',');
    const radios = (name: string, values: readonly string[], label: (x: string) => string) =>
      html`<div class="radios">${values.map((x) => html`<label class="pill"><input type="radio" name="${name}" value="${x}" required${v[name] === x ? html` checked` : ''}><span>${label(x)}</span></label>`)}</div>${fieldError(ctx, p, name)}`;
    const body = html`${heading(ctx, 'nav.register', 'register')}
<p class="lead">${ctx.t('register.intro')}</p>
${state.done ? notice(ctx, 'ok', ctx.t('register.done'), 'merci') : ''}
${formNotice(ctx, state.problem)}
<form method="post" action="/inscription" class="stack register" novalidate>
  <label for="fullName">${ctx.t('register.name')}</label>
  <input id="fullName" name="fullName" required minlength="2" maxlength="120" autocomplete="name" value="${v.fullName ?? ''}"${invalid(p, 'fullName')}>
  ${fieldError(ctx, p, 'fullName')}
  <fieldset id="sex"><legend>${ctx.t('register.sex')}</legend>${radios('sex', SEXES, (s) => ctx.t(`sex.${s}`))}</fieldset>
  <fieldset id="ageBand"><legend>${ctx.t('register.age')}</legend>${radios(
    'ageBand',
    AGE_BANDS.filter((b) => b !== '0-14'),
    (b) => ctx.t(`age.${b}`)
  )}</fieldset>
  <label for="commune">${ctx.t('register.commune')}</label>
  <select id="commune" name="commune"${invalid(p, 'commune')}>${(communes.length ? communes.map((c) => slugOf(c.id)) : [config.commune]).map((slug) => html`<option value="${slug}"${slug === chosenCommune ? html` selected` : ''}>${communeNames.get(slug) ?? slug}</option>`)}</select>
  ${fieldError(ctx, p, 'commune')}
  <label for="phone">${ctx.t('register.phone', { optional: ctx.t('common.optional') })}</label>
  <input id="phone" name="phone" type="tel" inputmode="tel" maxlength="20" autocomplete="tel" value="${v.phone ?? ''}"${invalid(p, 'phone')}>
  ${fieldError(ctx, p, 'phone')}
  <label for="organisation">${ctx.t('register.organisation', { optional: ctx.t('common.optional') })}</label>
  <input id="organisation" name="organisation" maxlength="200" value="${v.organisation ?? ''}"${invalid(p, 'organisation')}>
  ${fieldError(ctx, p, 'organisation')}
  <fieldset><legend>${ctx.t('register.trades', { optional: ctx.t('common.optional') })}</legend><div class="radios">${TRADE_SLUGS.map(
    (t) =>
      html`<label class="pill"><input type="checkbox" name="trades" value="${t}"${chosenTrades.includes(t) ? html` checked` : ''}><span>${ctx.lang === 'bm' ? TRADES[t].bm : TRADES[t].fr}</span></label>`
  )}</div></fieldset>
  <label class="check"><input type="checkbox" name="smsConsent" value="oui"${v.smsConsent === 'oui' ? html` checked` : ''}><span>${ctx.t('register.smsConsent')}</span></label>
  <fieldset class="consent" id="consent"><legend>${icon(ctx, 'lock', 'i sm')}${ctx.t('register.consentTitle')}</legend>
    <div class="titlerow"><p id="consent-text">${ctx.t('register.consent')}</p>${voice(ctx, 'register.consent')}</div>
    <label class="check"><input type="checkbox" name="consent" value="oui" aria-describedby="consent-text${p?.fields.consent ? ' err-consent' : ''}"${v.consent === 'oui' ? html` checked` : ''}><span>${ctx.t('register.agree')}</span></label>
    ${fieldError(ctx, p, 'consent')}
  </fieldset>
  <button class="btn big" type="submit">${icon(ctx, 'register')}<span>${ctx.t('register.submit')}</span></button>
</form>`;
    return page(ctx, { title: ctx.t('register.title'), body });
  }

  router.get('/inscription', async function registration(req, res) {
    const ctx = portal.ctx(req);
    portal.send(res, await form(ctx, { done: req.query.merci === '1' }));
  });

  router.post('/inscription', async function register(req, res) {
    const ctx = portal.ctx(req);
    // What was typed comes back in the page sent to the same phone, never kept or cached.
    const values = typed(req.body, FIELDS);
    const refuse = async (problem: FormProblem, status: number) => {
      res.set('Cache-Control', 'no-store');
      portal.send(res, await form(ctx, { problem, values }), status);
    };
    if (rateLimited(req)) return refuse({ fields: {}, form: 'error.tooMany' }, 429);
    const input: Record<string, unknown> = {
      fullName: values.fullName,
      sex: values.sex || undefined,
      ageBand: values.ageBand || undefined,
      commune: values.commune || undefined,
      lang: ctx.lang,
      channel: ctx.kiosk ? 'kiosk' : 'web',
      consent: values.consent === 'oui' ? true : undefined,
    };
    if (values.phone?.trim()) input.phone = values.phone.trim();
    if (values.organisation?.trim()) input.organisation = values.organisation.trim();
    // Checkboxes: one value, several, or none.
    const trades = formList(req.body, 'trades').slice(0, 8);
    values.trades = trades.join(',');
    if (trades.length) input.trades = trades;
    if (values.smsConsent === 'oui') input.smsConsent = true;
    const checked = checkForm('registration', input, FIELD_KEYS);
    if ('problem' in checked) return refuse(checked.problem, 422);
    try {
      await portal.deps.submissions.submit(checked.submission, { hubId: config.hubId });
    } catch (e) {
      if (!isAppError(e) || e.status !== 422) throw e;
      return refuse({ fields: {}, form: 'form.invalid' }, 422);
    }
    res.redirect(303, '/inscription?merci=1#merci');
  });
}
