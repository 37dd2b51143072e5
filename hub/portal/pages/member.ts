import type { Router } from 'express';
import { isAppError } from '../../../content/index.js';
import { memberOf, PinWaitError } from '../../members/index.js';
import { heading, icon, notice } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';
import { formText, formTexts } from '../../http/index.js';

/** Reasons the members room gives, as the visitor reads them. */
export function memberError(ctx: PageContext, reason: string, retryAfterSeconds?: number): string {
  switch (reason) {
    case 'wrong-code-or-pin':
      return ctx.t('member.wrong');
    case 'pin-locked':
      // The wait doubles with each wrong PIN: say how long this one is, in whole minutes.
      return ctx.t('member.locked', { minutes: Math.max(1, Math.ceil((retryAfterSeconds ?? 60) / 60)) });
    case 'login-busy':
      return ctx.t('error.tooMany');
    case 'member-suspended':
      return ctx.t('member.suspended');
    case 'invalid-display-name':
      return ctx.t('member.badName');
    case 'member-required':
      return ctx.t('member.required');
    default:
      return ctx.t('common.error');
  }
}

interface State {
  error?: string;
  code?: string;
  next?: string;
  renamed?: boolean;
}

/** Only paths of this hub's pages may be where sign-in sends the member back. */
function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/[a-z0-9/_?=&#-]*$/i.test(v) && !v.startsWith('//') ? v : '/communaute';
}

/**
 * /membre: a member signs in with the code on their card and their PIN (the card's QR code
 * opens this page with the code filled in), changes the name they are shown with, signs out.
 */
export function memberRoutes(router: Router, portal: Portal): void {
  const { members } = portal.deps;

  function signInForm(ctx: PageContext, state: State): Html {
    return html`${heading(ctx, 'member.title', 'lock')}
<p class="lead">${ctx.t('member.intro')}</p>
${state.error ? notice(ctx, 'err', state.error, 'erreur') : ''}
<form method="post" action="/membre" class="stack">
  <input type="hidden" name="next" value="${state.next ?? '/communaute'}">
  <label for="code">${ctx.t('member.code')}</label>
  <input id="code" name="code" required maxlength="10" autocapitalize="characters" autocomplete="username" spellcheck="false" value="${state.code ?? ''}" placeholder="KX7-M4P">
  <label for="pin">${ctx.t('member.pin')}</label>
  <input id="pin" name="pin" type="password" inputmode="numeric" pattern="[0-9]{4,6}" maxlength="6" required autocomplete="current-password">
  <button class="btn big" type="submit">${icon(ctx, 'enter')}<span>${ctx.t('member.signIn')}</span></button>
</form>
<p>${icon(ctx, 'info', 'i sm')} ${ctx.t('member.noCode')}</p>`;
  }

  function signedIn(ctx: PageContext, name: string, code: string, csrf: string, state: State): Html {
    return html`${heading(ctx, 'member.title', 'lock')}
${state.renamed ? notice(ctx, 'ok', ctx.t('member.renamed'), 'nom') : ''}
${state.error ? notice(ctx, 'err', state.error, 'erreur') : ''}
<p class="lead">${ctx.t('member.hello', { name })}</p>
<p class="meta">${ctx.t('member.yourCode', { code })}</p>
<p><a class="btn big" href="/communaute">${icon(ctx, 'speech')}<span>${ctx.t('nav.community')}</span></a></p>
<form method="post" action="/membre/nom" class="stack">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="displayName">${ctx.t('member.displayName')}</label>
  <input id="displayName" name="displayName" required minlength="2" maxlength="40" value="${name}">
  <button class="btn secondary" type="submit">${icon(ctx, 'pen')}<span>${ctx.t('member.rename')}</span></button>
</form>
<form method="post" action="/membre/deconnexion"><button class="btn" type="submit">${icon(ctx, 'back')}<span>${ctx.t('member.signOut')}</span></button></form>`;
  }

  router.get('/membre', function memberPage(req, res) {
    const ctx = portal.ctx(req);
    const me = memberOf(res);
    res.set('Cache-Control', 'no-store');
    const body = me
      ? signedIn(ctx, me.member.displayName, me.member.code, me.session.csrf, { renamed: req.query.nom === '1' })
      : signInForm(ctx, { code: typeof req.query.code === 'string' ? req.query.code.slice(0, 10) : '', next: safeNext(req.query.suite) });
    portal.send(res, page(ctx, { title: ctx.t('member.title'), body }));
  });

  router.post('/membre', async function signIn(req, res) {
    const ctx = portal.ctx(req);
    const f = formTexts(req.body);
    const code = (f.code ?? '').slice(0, 10);
    try {
      await members.signIn(req, res, code, f.pin ?? '');
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      res.set('Cache-Control', 'no-store');
      if (e instanceof PinWaitError) res.set('Retry-After', String(e.retryAfterSeconds));
      else if (e.status === 429) res.set('Retry-After', '5');
      // The code is kept in the form; the PIN never is.
      return void portal.send(
        res,
        page(ctx, {
          title: ctx.t('member.title'),
          body: signInForm(ctx, {
            error: memberError(ctx, e.reason, e instanceof PinWaitError ? e.retryAfterSeconds : undefined),
            code,
            next: safeNext(f.next),
          }),
        }),
        e.status
      );
    }
    res.redirect(303, safeNext(f.next));
  });

  router.post('/membre/nom', members.require(), members.checkForm(), async function rename(req, res) {
    const ctx = portal.ctx(req);
    const me = memberOf(res)!;
    const name = formText(req.body, 'displayName') ?? '';
    try {
      await members.store.rename(me.member.code, name);
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      return void portal.send(
        res,
        page(ctx, {
          title: ctx.t('member.title'),
          body: signedIn(ctx, name.slice(0, 40), me.member.code, me.session.csrf, { error: memberError(ctx, e.reason) }),
        }),
        422
      );
    }
    res.redirect(303, '/membre?nom=1#nom');
  });

  router.post('/membre/deconnexion', function signOut(_req, res) {
    members.signOut(res);
    res.redirect(303, '/');
  });
}
