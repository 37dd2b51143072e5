import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import {
  AppError,
  FLAG_REASONS,
  isAppError,
  POST_LANGUAGES,
  POST_TEXT_MAX,
  REACTIONS,
  VOICE_MAX_BYTES,
  type Answer,
  type Post,
  type PublishedPost,
} from '../../../content/index.js';
import type { PostEntry, PostState, QuestionView } from '../../community/index.js';
import { memberOf, type SignedInMember } from '../../members/index.js';
import { confirmedInBamako } from '../../sync/index.js';
import { heading, icon, notice, play, plain, slugOf, text } from '../components.js';
import type { PageContext } from '../context.js';
import { rateLimited } from '../form-errors.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { pageOf, pager } from '../pager.js';
import type { Portal } from '../portal.js';
import { formList, formTexts } from '../../http/index.js';

const BASE = '/communaute';
/** A recording opened on its own: no sniffing, no script, no origin of its own (as /media answers). */
const VOICE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'; media-src 'self'",
  'Cross-Origin-Resource-Policy': 'same-origin',
};
const threadUrl = (id: string) => `${BASE}/fil/${encodeURIComponent(id)}`;
const questionUrl = (id: string) => `${BASE}/question/${encodeURIComponent(id)}`;

/** What a member typed, given back on a refusal (never the recording: a browser cannot be handed a file). */
interface Typed {
  title?: string;
  text?: string;
  lang?: string;
  visibility?: string;
}

/** A refusal's reason, in the visitor's language. */
export function communityError(ctx: PageContext, reason: string): string {
  const known: Record<string, string> = {
    'empty-post': 'community.err.empty',
    'post-too-long': 'community.err.tooLong',
    'not-audio': 'community.err.notAudio',
    'voice-too-long': 'community.err.voiceTooLong',
    'member-rate-limited': 'community.err.tooMany',
    'too-many-submissions': 'error.tooMany',
    'thread-hidden': 'community.err.hidden',
    'thread-not-found': 'community.err.noThread',
    'already-flagged': 'community.err.alreadyFlagged',
    'member-required': 'member.required',
    'unknown-language': 'community.err.lang',
    'not-answered': 'community.err.notAnswered',
  };
  return ctx.t(known[reason] ?? 'common.error');
}

/** Multipart forms (text + an optional recording): multer, loaded with the first post, in memory (the file is small and checked before anything is stored). */
export function voiceForm(): RequestHandler {
  let upload: RequestHandler | undefined;
  return async function voiceForm(req, res, next) {
    if (!req.is('multipart/form-data')) return void next();
    upload ??= (await import('multer'))
      .default({
        storage: (await import('multer')).default.memoryStorage(),
        limits: { fileSize: VOICE_MAX_BYTES, files: 1, fields: 12, fieldSize: POST_TEXT_MAX * 4 },
      })
      .single('voice');
    upload(req, res, (err: unknown) => {
      if ((err as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') {
        // Too long a recording: the page says so in the visitor's language, with the text typed
        // kept — once the rest of the upload is read (a phone cut off mid-upload sees no page),
        // up to a bound past which the connection is closed.
        res.locals.voiceTooLong = true;
        let drained = 0;
        let done = false;
        const go = () => {
          if (done) return;
          done = true;
          next();
        };
        req.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > 8 * VOICE_MAX_BYTES) req.destroy();
        });
        req.once('end', go);
        req.once('close', go);
        req.resume();
        if (req.readableEnded) go();
        return;
      }
      if (err) return void next(new AppError(400, 'bad-form', 'the form could not be read; send it again'));
      next();
    });
  };
}

/** The recording sent with a form, or the refusal multer left for it. */
export function voiceOf_(req: Request, res: Response): Uint8Array | undefined {
  if (res.locals.voiceTooLong) throw new AppError(413, 'voice-too-long', 'the recording is too long');
  return req.file?.buffer;
}

function stateBadge(ctx: PageContext, state: PostState): Html {
  return html`<span class="state ${state}">${ctx.t(`community.state.${state}`)}</span>`;
}

function langMark(ctx: PageContext, lang: string): Html {
  return html`<span class="lang" lang="${lang}">${ctx.t(`community.lang.${lang}`)}</span>`;
}

/** A post's text as paragraphs: escaped like everything else, line breaks kept. */
function body(t: string | undefined): Html {
  if (!t) return html``;
  return html`${t.split(/\n{2,}/).map((para) => html`<p>${para.split('\n').map((line, i) => html`${i ? html`<br>` : ''}${line}`)}</p>`)}`;
}

/**
 * The recording field: a file picker everywhere (phones on plain HTTP take a file from their
 * recorder), the in-page recorder where the page may use the microphone. `error` is shown
 * beside it and `attrs` added to the input (aria-invalid…).
 */
export function voiceInput(ctx: PageContext, labelKey: string, error: Html = html``, attrs: Html = html``): Html {
  return html`<div class="voicein" data-voice-input data-recording="${ctx.t('officials.recording')}" data-recorded="${ctx.t('officials.recorded', { seconds: '{s}' })}" data-nomic="${ctx.t('officials.noMic')}">
  <label for="voice">${icon(ctx, 'mic', 'i sm')}${ctx.t(labelKey)}</label>${error}
  <input id="voice" name="voice" type="file" accept="audio/*" capture${attrs}>
  <div class="recorder" data-recorder-box hidden>
    <button class="btn secondary" type="button" data-rec>${icon(ctx, 'mic')}<span>${ctx.t('officials.record')}</span></button>
    <button class="btn secondary" type="button" data-stop hidden>${icon(ctx, 'stop')}<span>${ctx.t('officials.stop')}</span></button>
    <audio controls data-preview hidden></audio>
  </div>
  <p class="recstate" role="status" aria-live="polite"></p>
</div>`;
}

/** The text field, the language and the recording: a file picker everywhere (phones on plain HTTP), the recorder where the page may use the microphone. */
function composer(ctx: PageContext, me: SignedInMember, typed: Typed, opts: { title?: boolean; visibility?: boolean; submit: string }): Html {
  const lang = typed.lang ?? ctx.lang;
  return html`${token(me)}${opts.title ? html`<label for="title">${ctx.t('community.titleLabel')} <small>(${ctx.t('common.optional')})</small></label><input id="title" name="title" maxlength="120" value="${typed.title ?? ''}">` : ''}
<label for="text">${ctx.t('community.textLabel')}</label>
<textarea id="text" name="text" rows="4" maxlength="${POST_TEXT_MAX}">${typed.text ?? ''}</textarea>
${voiceInput(ctx, 'community.voiceLabel')}
<label for="lang">${ctx.t('community.langLabel')}</label>
<select id="lang" name="lang">${POST_LANGUAGES.map((l) => html`<option value="${l}"${l === lang ? html` selected` : ''}>${ctx.t(`community.lang.${l}`)}</option>`)}</select>
${
  opts.visibility
    ? html`<fieldset><legend>${ctx.t('community.visibility')}</legend>
<label class="pill"><input type="radio" name="visibility" value="private"${typed.visibility !== 'public' ? html` checked` : ''}><span>${ctx.t('community.private')}</span></label>
<label class="pill"><input type="radio" name="visibility" value="public"${typed.visibility === 'public' ? html` checked` : ''}><span>${ctx.t('community.public')}</span></label></fieldset>`
    : ''
}
<button class="btn big" type="submit">${icon(ctx, 'send')}<span>${ctx.t(opts.submit)}</span></button>`;
}

/** The member session's form token (see members.checkForm). */
function token(me: SignedInMember): Html {
  return html`<input type="hidden" name="_csrf" value="${me.session.csrf}">`;
}

export function signInPrompt(ctx: PageContext, back: string): Html {
  return notice(ctx, 'info', html`${ctx.t('community.readOnly')} <a href="/membre?suite=${encodeURIComponent(back)}">${ctx.t('member.signIn')}</a>`);
}

function whoAmI(ctx: PageContext, me: SignedInMember | null): Html {
  return me
    ? html`<p class="meta">${icon(ctx, 'lock', 'i sm')} ${ctx.t('community.signedInAs', { name: me.member.displayName })} · <a href="/membre">${ctx.t('member.title')}</a></p>`
    : html``;
}

export function communityRoutes(router: Router, portal: Portal): void {
  const { community, members } = portal.deps;
  const multipart = voiceForm();
  const form = [members.require(), multipart, members.checkForm()];
  const check = members.checkForm();
  const small = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

  async function states(entries: PostEntry[]): Promise<Map<string, PostState>> {
    const local = entries.filter((e) => e.local && !e.central).map((e) => e.id);
    const confirmed = local.length ? await confirmedInBamako(portal.deps.dbs.submissions, local) : new Map<string, boolean>();
    return new Map(entries.map((e) => [e.id, community.stateOf(e, confirmed.get(e.id) ?? false)]));
  }

  function voiceOf(ctx: PageContext, e: PostEntry): Html {
    if (!e.hasVoice) return html``;
    return html`<audio class="voice" controls preload="none" src="${BASE}/voix/${encodeURIComponent(e.id)}" aria-label="${ctx.t('community.listen', { name: e.author.name })}"></audio>`;
  }

  router.get(BASE, async function communityHome(req, res) {
    const ctx = portal.ctx(req);
    await community.ready();
    const topics = await community.topics();
    const me = memberOf(res);
    const body = html`${heading(ctx, 'nav.community', 'speech')}
<p class="lead">${ctx.t('community.intro')}</p>
${whoAmI(ctx, me)}
${me ? '' : signInPrompt(ctx, BASE)}
<ul class="list">${topics.map((t) => {
      const n = community.board.countIn(t._id);
      return html`<li class="card"><a class="rowlink" href="${BASE}/sujet/${slugOf(t._id)}">${icon(ctx, 'speech', 'i md')}<span class="grow"><b>${text(ctx, t.title)}</b><small>${ctx.t('community.counts', { threads: n.threads, posts: n.posts })}</small></span>${icon(ctx, 'chevron', 'i sm')}</a>${play(ctx, t.titleAudio, plain(ctx, t.title))}</li>`;
    })}</ul>
<p><a class="btn big" href="${BASE}/mentorat">${icon(ctx, 'star')}<span>${ctx.t('community.mentoring')}</span></a></p>`;
    res.set('Cache-Control', 'no-store');
    portal.send(res, page(ctx, { title: ctx.t('nav.community'), body }));
  });

  async function topicPage(req: Request, res: Response, slug: string, state: { error?: string; typed?: Typed } = {}): Promise<Html> {
    const ctx = portal.ctx(req);
    const t = await community.topic(`topic:${slug}`);
    const me = memberOf(res);
    const roots = community.board.threads(t._id);
    const slice = pageOf(req.query, roots.length);
    const entries = roots.slice(slice.start, slice.end).map((id) => community.board.get(id)!);
    const st = await states(entries);
    const shown = entries.filter(
      (e) => community.visible(st.get(e.id)!) || (me && e.author.code === me.member.code && e.author.hub === portal.deps.config.hubId)
    );
    const body = html`<p><a class="back" href="${BASE}">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.community')}</a></p>
<div class="heading"><h1>${icon(ctx, 'speech', 'i hi')}<span>${text(ctx, t.title)}</span></h1>${play(ctx, t.titleAudio, plain(ctx, t.title))}</div>
${t.description ? html`<p class="lead">${text(ctx, t.description)}</p>` : ''}
${whoAmI(ctx, me)}
${req.query.envoye === '1' ? notice(ctx, 'ok', ctx.t('community.sent'), 'envoye') : ''}
<ul class="list threads">${shown.map((e) => {
      const replies = community.board.repliesOf(e.id).length;
      return html`<li class="card"><a class="rowlink" href="${threadUrl(e.id)}"><span class="grow"><b>${e.title ?? e.excerpt.slice(0, 80)}</b><small>${e.author.name} · ${ctx.fmt.date(e.createdAt)} · ${ctx.t('community.replies', { count: replies })} ${e.hasVoice ? icon(ctx, 'listen', 'i sm') : ''}</small></span>${stateBadge(ctx, st.get(e.id)!)}</a></li>`;
    })}</ul>
${shown.length === 0 ? html`<p>${ctx.t('community.noThread')}</p>` : ''}
${pager(ctx, `${BASE}/sujet/${slug}`, slice)}
<section id="nouveau">${heading(ctx, 'community.newThread', 'pen', 2)}
${state.error ? notice(ctx, 'err', state.error, 'erreur') : ''}
${me ? html`<form method="post" action="${BASE}/sujet/${slug}" enctype="multipart/form-data" class="stack">${composer(ctx, me, state.typed ?? {}, { title: true, submit: 'community.publish' })}</form>` : signInPrompt(ctx, `${BASE}/sujet/${slug}`)}
</section>`;
    return page(ctx, { title: plain(ctx, t.title), body });
  }

  router.get(`${BASE}/sujet/:slug`, async function topic(req, res) {
    await community.ready();
    const p = await topicPage(req, res, req.params.slug);
    res.set('Cache-Control', 'no-store');
    portal.send(res, p);
  });

  router.post(`${BASE}/sujet/:slug`, ...form, async function newThread(req, res) {
    const ctx = portal.ctx(req);
    const slug = String(req.params.slug);
    const f = formTexts(req.body);
    const me = memberOf(res)!;
    const typed: Typed = { title: f.title?.slice(0, 120), text: f.text?.slice(0, POST_TEXT_MAX * 2), lang: f.lang };
    try {
      if (rateLimited(req)) throw new AppError(429, 'too-many-submissions', 'too many forms sent from this phone; wait a minute');
      const e = await community.post(
        me.member,
        { topic: `topic:${slug}`, title: f.title, text: f.text, lang: f.lang ?? ctx.lang, voice: voiceOf_(req, res) },
        me.session.via
      );
      return void res.redirect(303, `${threadUrl(e.id)}?envoye=1#envoye`);
    } catch (e) {
      if (!isAppError(e) || e.status >= 500 || e.reason === 'topic-not-found') throw e;
      res.set('Cache-Control', 'no-store');
      return void portal.send(res, await topicPage(req, res, slug, { error: communityError(ctx, e.reason), typed }), e.status);
    }
  });

  async function threadPage(req: Request, res: Response, id: string, state: { error?: string; typed?: Typed } = {}): Promise<Html> {
    const ctx = portal.ctx(req);
    await community.ready();
    const root = community.board.get(id);
    if (!root || root.replyTo) throw new AppError(404, 'thread-not-found', 'no such conversation here');
    const t = await community.topic(root.topic);
    const me = memberOf(res);
    const all = [root, ...community.board.repliesOf(root.id)];
    const st = await states(all);
    const mine = (e: PostEntry) => Boolean(me && e.author.code === me.member.code && e.author.hub === portal.deps.config.hubId);
    const rootState = st.get(root.id)!;
    if (!community.visible(rootState) && !mine(root)) throw new AppError(404, 'thread-not-found', 'this conversation was hidden by the moderators');
    const docs = await Promise.all(all.map((e) => community.doc(e.id)));
    const reactions = await Promise.all(all.map((e) => community.reactions(e.id)));
    const item = (e: PostEntry, i: number) => {
      const s = st.get(e.id)!;
      if (!community.visible(s) && !mine(e)) return html`<li class="post hidden"><p class="meta">${ctx.t('community.hiddenPost')}</p></li>`;
      const d = docs[i] as (Post | PublishedPost) | null;
      const r = reactions[i]!;
      return html`<li class="post" id="p-${slugOf(e.id.replace(/:/g, '-'))}">
<p class="meta"><b>${e.author.name}</b> · ${ctx.fmt.date(e.createdAt)} · ${langMark(ctx, e.lang)} ${stateBadge(ctx, s)}</p>
<div class="text" lang="${e.lang}">${body(d?.text)}</div>
${voiceOf(ctx, e)}
<p class="reactions">${REACTIONS.map((k) => html`<span class="reaction">${ctx.t(`community.react.${k}`)} ${r[k] ?? 0}</span> `)}</p>
${
  me && community.visible(s)
    ? html`<div class="actions"><form method="post" action="${threadUrl(root.id)}/reagir" class="inline">${token(me)}<input type="hidden" name="post" value="${e.id}">${REACTIONS.map((k) => html`<button class="btn small secondary" type="submit" name="kind" value="${k}">${ctx.t(`community.react.${k}`)}</button> `)}</form>
<details><summary>${ctx.t('community.flag')}</summary><form method="post" action="${threadUrl(root.id)}/signaler" class="stack">${token(me)}<input type="hidden" name="post" value="${e.id}"><label for="reason-${i}">${ctx.t('community.flagWhy')}</label><select id="reason-${i}" name="reason">${FLAG_REASONS.map((x) => html`<option value="${x}">${ctx.t(`community.flagReason.${x}`)}</option>`)}</select><button class="btn small" type="submit">${ctx.t('community.flag')}</button></form></details></div>`
    : ''
}
</li>`;
    };
    const body2 = html`<p><a class="back" href="${BASE}/sujet/${slugOf(t._id)}">${icon(ctx, 'back', 'i sm')}${plain(ctx, t.title)}</a></p>
<h1>${root.title ?? plain(ctx, t.title)}</h1>
${whoAmI(ctx, me)}
${req.query.envoye === '1' ? notice(ctx, 'ok', ctx.t('community.sent'), 'envoye') : ''}
${req.query.signale === '1' ? notice(ctx, 'ok', ctx.t('community.flagged'), 'signale') : ''}
<ol class="posts">${all.map(item)}</ol>
<section id="repondre">${heading(ctx, 'community.reply', 'speech', 2)}
${state.error ? notice(ctx, 'err', state.error, 'erreur') : ''}
${me ? html`<form method="post" action="${threadUrl(root.id)}" enctype="multipart/form-data" class="stack">${composer(ctx, me, state.typed ?? {}, { submit: 'community.publishReply' })}</form>` : signInPrompt(ctx, threadUrl(root.id))}
</section>`;
    return page(ctx, { title: root.title ?? plain(ctx, t.title), body: body2 });
  }

  router.get(`${BASE}/fil/:id`, async function thread(req, res) {
    const p = await threadPage(req, res, req.params.id);
    res.set('Cache-Control', 'no-store');
    portal.send(res, p);
  });

  router.post(`${BASE}/fil/:id`, ...form, async function reply(req, res) {
    const ctx = portal.ctx(req);
    const id = String(req.params.id);
    const f = formTexts(req.body);
    const me = memberOf(res)!;
    const root = community.board.get(id);
    if (!root) throw new AppError(404, 'thread-not-found', 'no such conversation here');
    try {
      if (rateLimited(req)) throw new AppError(429, 'too-many-submissions', 'too many forms sent from this phone; wait a minute');
      await community.post(me.member, { topic: root.topic, replyTo: id, text: f.text, lang: f.lang ?? ctx.lang, voice: voiceOf_(req, res) }, me.session.via);
      return void res.redirect(303, `${threadUrl(id)}?envoye=1#envoye`);
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      res.set('Cache-Control', 'no-store');
      return void portal.send(
        res,
        await threadPage(req, res, id, { error: communityError(ctx, e.reason), typed: { text: f.text?.slice(0, POST_TEXT_MAX * 2), lang: f.lang } }),
        e.status
      );
    }
  });

  router.post(`${BASE}/fil/:id/signaler`, members.require(), small, check, async function flag(req, res) {
    const ctx = portal.ctx(req);
    // A field sent twice arrives as a list: its texts joined, as String() did.
    const f = (name: string) => formList(req.body, name).join(',');
    const id = String(req.params.id);
    try {
      await community.flag(memberOf(res)!.member, f('post'), f('reason'));
    } catch (e) {
      if (!isAppError(e) || e.status >= 500 || e.status === 404) throw e;
      return void portal.send(res, await threadPage(req, res, id, { error: communityError(ctx, e.reason) }), e.status);
    }
    res.redirect(303, `${threadUrl(id)}?signale=1#signale`);
  });

  router.post(`${BASE}/fil/:id/reagir`, members.require(), small, check, async function react(req, res) {
    const f = (name: string) => formList(req.body, name).join(',');
    await community.react(memberOf(res)!.member, f('post'), f('kind'));
    res.redirect(303, threadUrl(String(req.params.id)));
  });

  /** A post's recording: central's media copy once fetched, else the one written here; never a hidden post's. */
  router.get(`${BASE}/voix/:id`, async function voice(req, res) {
    await community.ready();
    const id = req.params.id;
    const e = community.board.get(id);
    const st = e ? (await states([e])).get(id)! : null;
    const me = memberOf(res);
    const mine = Boolean(e && me && e.author.code === me.member.code && e.author.hub === portal.deps.config.hubId);
    if (!e || !e.hasVoice || (!community.visible(st!) && !mine)) throw new AppError(404, 'voice-not-found', 'no recording here');
    if (e.central?.voice && (await portal.deps.media.has(e.central.voice))) return void res.redirect(302, `/media/${e.central.voice}`);
    const local = e.local ? await community.localVoice(id) : null;
    if (!local) throw new AppError(404, 'voice-not-yet-here', 'the recording has not reached this hub yet; it comes with the next sync');
    res.set({ 'Content-Type': local.mime, 'Cache-Control': 'no-cache', ...VOICE_HEADERS }).send(local.data);
  });

  // —— mentoring ——

  function questionItem(ctx: PageContext, v: QuestionView): Html {
    const answered = (v.answer?.answers.length ?? 0) > 0;
    return html`<li class="card"><a class="rowlink" href="${questionUrl(v.question._id)}"><span class="grow"><b>${(v.question.text ?? ctx.t('community.voiceQuestion')).slice(0, 100)}</b><small>${ctx.fmt.date(v.question.createdAt)} · ${ctx.t(v.question.visibility === 'private' ? 'community.private' : 'community.public')}</small></span><span class="state ${v.resolved ? 'published' : answered ? 'sent' : 'pending'}">${ctx.t(v.resolved ? 'community.resolved' : answered ? 'community.answered' : 'community.waiting')}</span></a></li>`;
  }

  function answerBlock(ctx: PageContext, a: Answer | undefined): Html {
    if (!a?.answers.length) return html`<p>${icon(ctx, 'clock', 'i sm')} ${ctx.t('community.noAnswerYet')}</p>`;
    return html`<ol class="posts answers">${a.answers.map(
      (x) =>
        html`<li class="post mentor"><p class="meta"><b>${x.by}</b> (${ctx.t('community.mentor')}) · ${ctx.fmt.date(x.at)} · ${langMark(ctx, x.lang)}</p><div class="text" lang="${x.lang}">${body(x.text)}</div>${x.voice ? html`<audio class="voice" controls preload="none" src="/media/${x.voice}"></audio>` : ''}</li>`
    )}</ol>`;
  }

  async function mentoringPage(req: Request, res: Response, state: { error?: string; typed?: Typed } = {}): Promise<Html> {
    const ctx = portal.ctx(req);
    const me = memberOf(res);
    const mine = me ? await community.questionsOf(me.member.code) : [];
    const open = await community.publicAnswers(30);
    const topics = await community.topics();
    const body2 = html`<p><a class="back" href="${BASE}">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.community')}</a></p>
${heading(ctx, 'community.mentoring', 'star')}
<p class="lead">${ctx.t('community.mentoringIntro')}</p>
${whoAmI(ctx, me)}
${req.query.envoye === '1' ? notice(ctx, 'ok', ctx.t('community.asked'), 'envoye') : ''}
${mine.length ? html`<section>${heading(ctx, 'community.myQuestions', 'speech', 2)}<ul class="list">${mine.map((v) => questionItem(ctx, v))}</ul></section>` : ''}
<section id="demander">${heading(ctx, 'community.ask', 'pen', 2)}
${state.error ? notice(ctx, 'err', state.error, 'erreur') : ''}
${
  me
    ? html`<form method="post" action="${BASE}/mentorat" enctype="multipart/form-data" class="stack">
<label for="topic">${ctx.t('community.topicLabel')}</label><select id="topic" name="topic"><option value="">—</option>${topics.map((t) => html`<option value="${slugOf(t._id)}">${plain(ctx, t.title)}</option>`)}</select>
${composer(ctx, me, state.typed ?? {}, { visibility: true, submit: 'community.askButton' })}</form>`
    : signInPrompt(ctx, `${BASE}/mentorat`)
}
</section>
${open.length ? html`<section>${heading(ctx, 'community.publicAnswers', 'star', 2)}<ul class="list">${open.map((a) => html`<li class="card"><b>${a.asked.author.name}</b> : ${(a.asked.text ?? ctx.t('community.voiceQuestion')).slice(0, 200)}${a.asked.voice ? html`<audio class="voice" controls preload="none" src="/media/${a.asked.voice}"></audio>` : ''}${answerBlock(ctx, a)}</li>`)}</ul></section>` : ''}`;
    return page(ctx, { title: ctx.t('community.mentoring'), body: body2 });
  }

  router.get(`${BASE}/mentorat`, async function mentoring(req, res) {
    res.set('Cache-Control', 'no-store');
    portal.send(res, await mentoringPage(req, res));
  });

  router.post(`${BASE}/mentorat`, ...form, async function ask(req, res) {
    const ctx = portal.ctx(req);
    const f = formTexts(req.body);
    const me = memberOf(res)!;
    try {
      if (rateLimited(req)) throw new AppError(429, 'too-many-submissions', 'too many forms sent from this phone; wait a minute');
      const q = await community.ask(
        me.member,
        {
          topic: f.topic ? `topic:${f.topic}` : undefined,
          text: f.text,
          lang: f.lang ?? ctx.lang,
          visibility: f.visibility ?? 'private',
          voice: voiceOf_(req, res),
        },
        me.session.via
      );
      return void res.redirect(303, `${questionUrl(q._id)}?envoye=1#envoye`);
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      res.set('Cache-Control', 'no-store');
      return void portal.send(
        res,
        await mentoringPage(req, res, {
          error: communityError(ctx, e.reason),
          typed: { text: f.text?.slice(0, POST_TEXT_MAX * 2), lang: f.lang, visibility: f.visibility },
        }),
        e.status
      );
    }
  });

  router.get(`${BASE}/question/:id`, async function question(req, res) {
    const ctx = portal.ctx(req);
    const me = memberOf(res);
    const v = await community.questionFor(req.params.id, { code: me?.member.code });
    const isAsker = me?.member.code === v.question.author.code;
    const q = v.question;
    const body2 = html`<p><a class="back" href="${BASE}/mentorat">${icon(ctx, 'back', 'i sm')}${ctx.t('community.mentoring')}</a></p>
<h1>${ctx.t('community.question')}</h1>
${req.query.envoye === '1' ? notice(ctx, 'ok', ctx.t('community.asked'), 'envoye') : ''}
<p class="meta"><b>${q.author.name}</b> · ${ctx.fmt.date(q.createdAt)} · ${langMark(ctx, q.lang)} · ${ctx.t(q.visibility === 'private' ? 'community.private' : 'community.public')}</p>
<div class="text" lang="${q.lang}">${body(q.text)}</div>
${q._attachments ? html`<audio class="voice" controls preload="none" src="${questionUrl(q._id)}/voix"></audio>` : ''}
${answerBlock(ctx, v.answer)}
${v.resolved ? notice(ctx, 'ok', ctx.t('community.resolved')) : isAsker && v.answer?.answers.length ? html`<form method="post" action="${questionUrl(q._id)}/resolu">${token(me)}<button class="btn big" type="submit">${icon(ctx, 'check')}<span>${ctx.t('community.markResolved')}</span></button></form>` : ''}`;
    res.set('Cache-Control', 'no-store');
    portal.send(res, page(ctx, { title: ctx.t('community.question'), body: body2 }));
  });

  router.get(`${BASE}/question/:id/voix`, async function questionVoice(req, res) {
    const me = memberOf(res);
    const v = await community.questionVoice(req.params.id, { code: me?.member.code });
    if (!v) throw new AppError(404, 'voice-not-found', 'no recording here');
    res.set({ 'Content-Type': v.mime, 'Cache-Control': 'no-store', ...VOICE_HEADERS }).send(v.data);
  });

  router.post(`${BASE}/question/:id/resolu`, members.require(), small, check, async function resolve(req, res) {
    await community.resolve(memberOf(res)!.member, String(req.params.id));
    res.redirect(303, questionUrl(String(req.params.id)));
  });
}
