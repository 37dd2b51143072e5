import type { RequestHandler, Router } from 'express';
import { isAppError, type Audio, type ContentOf, type Official } from '../../../content/index.js';
import { checkSubmission, checkVoice, VOICE_MAX_BYTES, VOICE_MAX_SECONDS } from '../../submissions/index.js';
import { heading, icon, notice, play, sampleMark, slugOf, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { fieldError, formNotice, invalid, checkForm, rateLimited, typed, type FormProblem } from '../form-errors.js';
import { page } from '../layout.js';
import { pageOf, pager } from '../pager.js';
import type { Portal } from '../portal.js';
import { publicAnswers, type PublicAnswer } from './queries.js';
import { byCode } from '../order.js';

/** What a refused recording tells the visitor, in her language. */
const VOICE_ERRORS: Record<string, string> = {
  'voice-empty': 'officials.voiceMissing',
  'voice-too-large': 'officials.voiceTooLarge',
  'voice-too-long': 'officials.voiceTooLong',
  'voice-not-audio': 'officials.voiceNotAudio',
};

const ROLE_ORDER = ['maire', 'president-conseil', 'adjoint', 'vice-president', 'conseiller'];

export function roleOf(ctx: PageContext, o: Pick<Official, 'sex' | 'role'>): string {
  return ctx.t(o.sex === 'F' ? `role.${o.role}.F` : `role.${o.role}`);
}

function portrait(ctx: PageContext, o: ContentOf<'official'>, cls = 'portrait'): Html {
  return o.photo
    ? html`<img class="${cls}" src="/media/${o.photo}" alt="" loading="lazy">`
    : html`<span class="${cls} none">${icon(ctx, o.sex === 'F' ? 'woman' : 'man', 'i lg')}</span>`;
}

export function answerCard(ctx: PageContext, a: PublicAnswer, name: string): Html {
  return html`<blockquote class="card answer">${icon(ctx, 'speech', 'i md')}<div><p>${a.answer}</p><footer>${ctx.t('officials.answerBy', { name })}${a.at ? html` · ${ctx.fmt.date(a.at)}` : ''}</footer></div></blockquote>`;
}

export function officialsRoutes(router: Router, portal: Portal): void {
  const { catalog, config } = portal.deps;

  router.get('/elus', async function officials(req, res) {
    const ctx = portal.ctx(req);
    const [all, communes, answers] = await Promise.all([
      portal.digest.of('official'),
      portal.digest.of('commune'),
      publicAnswers(portal.deps.dbs.submissions, config.hubId, 5),
    ]);
    const names = new Map([...communes.byId.values()].map((c) => [slugOf(c.id), c.name]));
    const here = config.commune;
    // The hub's commune first, then the others; in each, the mayor first and the councillors by rank.
    const order = all.sorted(
      `place ${here}`,
      (a, b) =>
        Number(b.commune === here) - Number(a.commune === here) ||
        byCode(a.commune, b.commune) ||
        ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) ||
        (a.rank ?? 99) - (b.rank ?? 99) ||
        byCode(a.id, b.id)
    );
    const asked = typeof req.query.commune === 'string' && /^[a-z0-9-]{1,63}$/.test(req.query.commune) ? req.query.commune : '';
    const chosen = asked ? order.filter((o) => o.commune === asked) : order;
    const slice = pageOf(req.query, chosen.length);
    const [shown, answeredBy] = await Promise.all([
      portal.digest.docs(
        'official',
        chosen.slice(slice.start, slice.end).map((o) => o.id)
      ),
      portal.digest.docs('official', [...new Set(answers.map((a) => a.official))]),
    ]);
    const byCommune = new Map<string, ContentOf<'official'>[]>();
    for (const o of shown) byCommune.set(o.commune, [...(byCommune.get(o.commune) ?? []), o]);
    const nameOf = new Map(answeredBy.map((o) => [o._id, o.name]));
    // Many officials: a commune can be chosen (a phone shows one commune's council, a page at a time).
    const withOfficials = slice.pages > 1 || asked ? [...new Set(order.map((o) => o.commune))] : [];
    const body = html`${heading(ctx, 'nav.officials', 'officials')}
<p class="lead">${ctx.t('officials.intro')}</p>
${
  withOfficials.length > 1
    ? html`<form class="filters" method="get" action="/elus"><div><label for="commune">${ctx.t('orgs.commune')}</label>
<select id="commune" name="commune"><option value="">${ctx.t('orgs.all')}</option>${withOfficials.map((c) => html`<option value="${c}"${c === asked ? html` selected` : ''}>${names.get(c) ?? c}</option>`)}</select></div>
<button class="btn secondary" type="submit">${icon(ctx, 'filter')}<span>${ctx.t('orgs.filter')}</span></button></form>`
    : ''
}
${[...byCommune].map(
  ([commune, list]) => html`<section><h2>${icon(ctx, 'town', 'i md')}${names.get(commune) ?? commune}</h2>
<ul class="cards people">${list.map(
    (o) =>
      html`<li class="card person"><a class="rowlink" href="/elus/${slugOf(o._id)}">${portrait(ctx, o)}<span class="grow"><b>${o.name}</b><small>${roleOf(ctx, o)}</small>${sampleMark(ctx, o.sample)}</span>${icon(ctx, 'chevron', 'i sm')}</a></li>`
  )}</ul></section>`
)}
${pager(ctx, '/elus', slice, { commune: asked })}
${answers.length ? html`<section>${heading(ctx, 'officials.answers', 'speech', 2)}${answers.map((a) => answerCard(ctx, a, nameOf.get(a.official) ?? ''))}</section>` : ''}`;
    portal.send(res, page(ctx, { title: ctx.t('officials.title'), body }));
  });

  async function officialPage(ctx: PageContext, slug: string, state: { sent?: boolean; problem?: FormProblem; message?: string }): Promise<Html> {
    const o = await catalog.get(`official:${slug}`);
    const commune = await catalog.maybe(`commune:${o.commune}`);
    const body = html`<p><a class="back" href="/elus">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.officials')}</a></p>
<article class="official">
<div class="who">${portrait(ctx, o, 'portrait big')}<div><h1>${o.name}</h1><p class="lead">${roleOf(ctx, o)}</p><p>${icon(ctx, 'town', 'i sm')} ${commune?.name ?? o.commune}</p>${sampleMark(ctx, o.sample)}</div></div>
<p class="meta">${icon(ctx, 'agenda', 'i sm')} ${ctx.t('officials.mandate', { start: o.mandate.start, end: o.mandate.end })}</p>
${o.commissions?.length ? html`<h2>${ctx.t('officials.commissions')}</h2><ul class="tags">${o.commissions.map((c) => html`<li class="tag">${text(ctx, c)}</li>`)}</ul>` : ''}
${o.bio ? html`<div class="titlerow"><p>${text(ctx, o.bio)}</p>${play(ctx, (o as { bioAudio?: Audio }).bioAudio, o.name)}</div>` : ''}
${o.contact?.office ? html`<p>${icon(ctx, 'pin', 'i sm')} ${text(ctx, o.contact.office)}</p>` : ''}
</article>
<section class="write" id="ecrire">${heading(ctx, 'officials.write', 'speech', 2)}
${state.sent ? notice(ctx, 'ok', ctx.t('officials.sent'), 'sent') : ''}
${formNotice(ctx, state.problem)}
${notice(ctx, 'info', ctx.t('officials.private'))}
<form method="post" action="/elus/${slug}/message" class="stack" novalidate>
  <label for="message">${ctx.t('officials.messageLabel')}</label>
  <textarea id="message" name="message" rows="4" maxlength="4000" required${invalid(state.problem, 'message')}>${state.message ?? ''}</textarea>
  ${fieldError(ctx, state.problem, 'message')}
  <button class="btn" type="submit">${icon(ctx, 'send')}<span>${ctx.t('officials.sendText')}</span></button>
</form>
<form method="post" action="/elus/${slug}/voix" enctype="multipart/form-data" class="stack voicefile">
  <label for="voice">${icon(ctx, 'mic')} ${ctx.t('officials.voiceFile')}</label>
  <input id="voice" name="voice" type="file" accept="audio/*" capture required${state.problem?.fields.voice ? invalid(state.problem, 'voice') : html` aria-describedby="voice-hint"`}>
  ${fieldError(ctx, state.problem, 'voice')}
  <p class="hint" id="voice-hint">${ctx.t('officials.voiceHint', { minutes: VOICE_MAX_SECONDS / 60, mb: VOICE_MAX_BYTES / 1_000_000 })}</p>
  <button class="btn" type="submit">${icon(ctx, 'send')}<span>${ctx.t('officials.sendVoiceFile')}</span></button>
</form>
<div class="recorder" data-recorder data-official="${o._id}" data-lang="${ctx.lang}" hidden
  data-recording="${ctx.t('officials.recording')}" data-recorded="${ctx.t('officials.recorded', { seconds: '{s}' })}" data-nomic="${ctx.t('officials.noMic')}" data-sent="${ctx.t('officials.sent')}" data-error="${ctx.t('common.error')}">
  <button class="btn secondary" type="button" data-rec>${icon(ctx, 'mic')}<span>${ctx.t('officials.record')}</span></button>
  <button class="btn secondary" type="button" data-stop hidden>${icon(ctx, 'stop')}<span>${ctx.t('officials.stop')}</span></button>
  <audio controls data-preview hidden></audio>
  <button class="btn" type="button" data-send hidden>${icon(ctx, 'send')}<span>${ctx.t('officials.sendVoice')}</span></button>
  <p class="recstate" role="status" aria-live="polite"></p>
</div>
</section>`;
    return page(ctx, { title: o.name, body });
  }

  router.get('/elus/:slug', async function official(req, res) {
    const ctx = portal.ctx(req);
    portal.send(res, await officialPage(ctx, req.params.slug, { sent: req.query.envoye === '1' }));
  });

  router.post('/elus/:slug/message', async function message(req, res) {
    const ctx = portal.ctx(req);
    const slug = req.params.slug;
    const { message: typedMessage } = typed(req.body, ['message']);
    const refuse = async (problem: FormProblem, status: number) => {
      // The message comes back only in the answer to this phone's own POST, never cached.
      res.set('Cache-Control', 'no-store');
      portal.send(res, await officialPage(ctx, slug, { problem, message: typedMessage }), status);
    };
    if (rateLimited(req)) return refuse({ fields: {}, form: 'error.tooMany' }, 429);
    const input = { official: `official:${slug}`, message: typedMessage?.trim() || undefined, lang: ctx.lang };
    const checked = checkForm('feedback', input, { message: 'form.message', official: 'error.notFound' });
    if ('problem' in checked) return refuse(checked.problem, 422);
    try {
      await portal.deps.submissions.submit(checked.submission, { hubId: config.hubId });
    } catch (e) {
      if (!isAppError(e) || e.status !== 422) throw e;
      return refuse({ fields: {}, form: 'form.invalid' }, 422);
    }
    // Back to the page without the message: nothing personal is shown back.
    res.redirect(303, `/elus/${slug}?envoye=1#ecrire`);
  });

  /**
   * A voice message without JavaScript or a secure context: the phone's own recorder fills a
   * file input (`capture`), sent as an ordinary multipart form. The file is checked by its
   * bytes, then stored exactly as a recording made in the page.
   */
  let upload: RequestHandler | undefined;
  router.post('/elus/:slug/voix', async function voiceFile(req, res) {
    const ctx = portal.ctx(req);
    const slug = req.params.slug;
    // multer is loaded with the first voice file; held in memory (3 MB at most), never on the card.
    const multer = (await import('multer')).default;
    upload ??= multer({ storage: multer.memoryStorage(), limits: { fileSize: VOICE_MAX_BYTES, files: 1, fields: 5, parts: 6 } }).single('voice');
    const refuse = async (reason: string, status = 422) => {
      res.set('Cache-Control', 'no-store');
      portal.send(
        res,
        await officialPage(ctx, slug, {
          problem: reason === 'rate-limited' ? { fields: {}, form: 'error.tooMany' } : { fields: { voice: VOICE_ERRORS[reason] ?? 'form.invalid' } },
        }),
        status
      );
    };
    if (rateLimited(req)) return refuse('rate-limited', 429);
    const failed = await new Promise<unknown>((resolve) => upload!(req, res, resolve));
    if ((failed as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') return refuse('voice-too-large');
    if (failed) return refuse('voice-not-audio');
    if (!req.file) return refuse('voice-empty');
    try {
      const { mime } = await checkVoice(req.file.buffer);
      await portal.deps.submissions.submit(
        checkSubmission('feedback', { official: `official:${slug}`, audio: { mime, data: req.file.buffer.toString('base64') }, lang: ctx.lang }),
        { hubId: config.hubId }
      );
    } catch (e) {
      if (!isAppError(e) || e.status >= 500 || e.status === 404) throw e;
      return refuse(e.reason);
    }
    res.redirect(303, `/elus/${slug}?envoye=1#ecrire`);
  });
}
