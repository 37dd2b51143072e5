import type { Router } from 'express';
import { AGE_BANDS, isAppError, SEXES } from '../../../content/index.js';
import { heading, icon, notice, slugOf, voice } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';

interface FormState {
  done?: boolean;
  error?: string;
  values?: Record<string, string>;
}

export function registerRoutes(router: Router, portal: Portal): void {
  const { config } = portal.deps;

  async function form(ctx: PageContext, state: FormState): Promise<Html> {
    // Communes are a few hundred at most in a region (their summaries: id, name, kind).
    const communes = (await portal.digest.of('commune')).sorted('name', (a, b) => a.name.localeCompare(b.name, 'fr') || a.id.localeCompare(b.id)).filter((c) => c.kind === 'commune-urbaine' || c.kind === 'commune-rurale');
    const communeNames = new Map(communes.map((c) => [slugOf(c.id), c.name]));
    const v = state.values ?? {};
    const chosenCommune = v.commune ?? config.commune;
    const radios = (name: string, values: readonly string[], label: (x: string) => string) =>
      html`<div class="radios">${values.map((x) => html`<label class="pill"><input type="radio" name="${name}" value="${x}" required${v[name] === x ? html` checked` : ''}><span>${label(x)}</span></label>`)}</div>`;
    const body = html`${heading(ctx, 'nav.register', 'register')}
<p class="lead">${ctx.t('register.intro')}</p>
${state.done ? notice(ctx, 'ok', ctx.t('register.done'), 'merci') : ''}
${state.error ? notice(ctx, 'err', state.error, 'erreur') : ''}
<form method="post" action="/inscription" class="stack register">
  <label for="fullName">${ctx.t('register.name')}</label>
  <input id="fullName" name="fullName" required minlength="2" maxlength="120" autocomplete="name">
  <fieldset><legend>${ctx.t('register.sex')}</legend>${radios('sex', SEXES, (s) => ctx.t(`sex.${s}`))}</fieldset>
  <fieldset><legend>${ctx.t('register.age')}</legend>${radios('ageBand', AGE_BANDS.filter((b) => b !== '0-14'), (b) => ctx.t(`age.${b}`))}</fieldset>
  <label for="commune">${ctx.t('register.commune')}</label>
  <select id="commune" name="commune">${(communes.length ? communes.map((c) => slugOf(c.id)) : [config.commune]).map((slug) => html`<option value="${slug}"${slug === chosenCommune ? html` selected` : ''}>${communeNames.get(slug) ?? slug}</option>`)}</select>
  <label for="phone">${ctx.t('register.phone', { optional: ctx.t('common.optional') })}</label>
  <input id="phone" name="phone" type="tel" inputmode="tel" maxlength="20" autocomplete="tel">
  <label for="organisation">${ctx.t('register.organisation', { optional: ctx.t('common.optional') })}</label>
  <input id="organisation" name="organisation" maxlength="200">
  <fieldset class="consent"><legend>${icon(ctx, 'lock', 'i sm')}${ctx.t('register.consentTitle')}</legend>
    <div class="titlerow"><p id="consent-text">${ctx.t('register.consent')}</p>${voice(ctx, 'register.consent')}</div>
    <label class="check"><input type="checkbox" name="consent" value="oui" aria-describedby="consent-text"><span>${ctx.t('register.agree')}</span></label>
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
    const f = (req.body ?? {}) as Record<string, string | undefined>;
    // The choices are kept on a refusal; the name and phone are not written back into the page.
    const keep = { sex: f.sex ?? '', ageBand: f.ageBand ?? '', commune: f.commune ?? '' };
    if (f.consent !== 'oui') return portal.send(res, await form(ctx, { error: ctx.t('register.needConsent'), values: keep }), 422);
    const input: Record<string, unknown> = { fullName: f.fullName ?? '', sex: f.sex, ageBand: f.ageBand, commune: f.commune, lang: ctx.lang, consent: true };
    if (f.phone?.trim()) input.phone = f.phone.trim();
    if (f.organisation?.trim()) input.organisation = f.organisation.trim();
    try {
      await portal.deps.submissions.submit('registration', input, { hubId: config.hubId });
    } catch (e) {
      if (!isAppError(e) || e.status !== 422) throw e;
      return portal.send(res, await form(ctx, { error: ctx.t('register.invalid', { details: e.details }), values: keep }), 422);
    }
    res.redirect(303, '/inscription?merci=1#merci');
  });
}
