import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { AppError, type Audio, type Course, type Lesson, type Language, type LessonBlock, type Quiz } from '../../../content/index.js';
import { contentIcon, heading, icon, inFrench, notice, play, plain, richText, sampleMark, slugOf, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { pageOf, pager } from '../pager.js';
import type { Portal } from '../portal.js';
import { deviceId } from '../request.js';
import { formNotice, rateLimited } from '../form-errors.js';
import { downloadLink, filesOf, type FileFacts } from './downloads.js';
import { keepButton } from './keep.js';
import { formTexts } from '../../http/index.js';
import { checkSubmission } from '../../submissions/index.js';

const CATEGORY_ICON: Record<string, string> = {
  gouvernance: 'town',
  leadership: 'star',
  plaidoyer: 'megaphone',
  alphabetisation: 'pen',
  numerique: 'phone',
  citoyennete: 'participate',
};

async function courseBySlug(portal: Portal, slug: string): Promise<Course> {
  const c = await portal.deps.catalog.get(`course:${slug}`);
  return c;
}

async function lessonsOf(portal: Portal, course: Course): Promise<Lesson[]> {
  const docs = await Promise.all(course.lessons.map((id) => portal.deps.catalog.maybe(id)));
  return docs.filter((l): l is Lesson => l !== null);
}

function block(ctx: PageContext, b: LessonBlock, files: Map<string, FileFacts>): Html {
  switch (b.kind) {
    case 'text':
      // A recording of the block, when the studio gave it one (laid over the lesson at read).
      return html`${play(ctx, (b as { audio?: Audio }).audio, plain(ctx, b.body).slice(0, 80))}${richText(ctx, b.body)}`;
    case 'audio':
      return html`<figure class="media audio">${icon(ctx, 'listen', 'i md')}<audio controls preload="none" src="/media/${b.media}"></audio>${b.caption ? html`<figcaption>${text(ctx, b.caption)}</figcaption>` : ''}${
        b.lang && b.lang !== ctx.lang ? inFrench(ctx) : ''
      }${downloadLink(ctx, b.media, files.get(b.media), ctx.t('learn.downloadAudio'))}</figure>`;
    case 'video':
      return html`<figure class="media"><video controls preload="none" src="/media/${b.media}"${b.poster ? html` poster="/media/${b.poster}"` : ''}></video>${b.caption ? html`<figcaption>${text(ctx, b.caption)}</figcaption>` : ''}${downloadLink(ctx, b.media, files.get(b.media), ctx.t('learn.downloadVideo'))}</figure>`;
    case 'image':
      return html`<figure class="media"><img src="/media/${b.media}" alt="${plain(ctx, b.alt)}" loading="lazy"></figure>`;
    case 'quiz':
      return html`<p><a class="btn" href="/apprendre/quiz/${slugOf(b.quiz)}">${icon(ctx, 'quiz')}<span>${ctx.t('learn.quiz')}</span></a></p>`;
  }
}

/**
 * A lesson may carry one narration per language: keep the visitor's, or else the French one
 * (marked as such), never several.
 */
export function blocksFor(blocks: LessonBlock[], lang: Language): LessonBlock[] {
  const audio = blocks.filter((b) => b.kind === 'audio' && b.lang);
  if (audio.length === 0) return blocks;
  const keep: Language = audio.some((b) => b.kind === 'audio' && b.lang === lang) ? lang : 'fr';
  return blocks.filter((b) => b.kind !== 'audio' || !b.lang || b.lang === keep);
}

/**
 * The order a visitor sees a question's choices in: shuffled per device (the anonymous device
 * token), the same on every reload, different between phones, so the right answer is not
 * always in the same place and nobody learns a position instead of the answer.
 */
export function choiceOrder(seed: string, quizId: string, question: number, count: number): number[] {
  const weight = (i: number) => createHash('sha256').update(`${seed}\u0000${quizId}\u0000${question}\u0000${i}`).digest().readUInt32BE(0);
  return Array.from({ length: count }, (_, i) => ({ i, w: weight(i) }))
    .sort((a, b) => a.w - b.w || a.i - b.i)
    .map((x) => x.i);
}

/** What the page says once a question is answered (never before: the HTML carries no answer). */
function verdict(ctx: PageContext, q: Quiz['questions'][number], chosen: string | undefined): { ok: boolean; body: Html } {
  const right = q.choices.findIndex((c) => c.correct);
  const ok = chosen !== undefined && q.choices[Number(chosen)]?.correct === true;
  const said = ok
    ? notice(ctx, 'ok', ctx.t('learn.correct'))
    : notice(ctx, 'warn', html`${ctx.t('learn.wrong')} ${ctx.t('learn.rightAnswer', { answer: plain(ctx, q.choices[right]?.label) })}`);
  return { ok, body: html`${said}${q.explanation ? html`<p class="explain">${text(ctx, q.explanation)}</p>` : ''}` };
}

function quizPage(ctx: PageContext, quiz: Quiz, seed: string, answers?: Record<string, string>, kept?: Record<string, string>): Html {
  const checked = answers !== undefined;
  let correct = 0;
  const questions = quiz.questions.map((q, qi) => {
    const chosen = (answers ?? kept)?.[`q${qi}`];
    const result = checked ? verdict(ctx, q, chosen) : undefined;
    if (result?.ok) correct += 1;
    // The value is the choice's place in the authored list: the server checks it, the page cannot tell.
    return html`<fieldset class="question" data-question="${qi}">
  <legend><span class="qn">${qi + 1}</span> ${text(ctx, q.prompt)}</legend>${play(ctx, q.audio, plain(ctx, q.prompt))}
  <div class="choices">${choiceOrder(seed, quiz._id, qi, q.choices.length).map((ci) => {
    const c = q.choices[ci]!;
    return html`<div class="choice"><label><input type="radio" name="q${qi}" value="${ci}"${chosen === String(ci) ? html` checked` : ''} required><span>${text(ctx, c.label)}</span></label>${play(ctx, c.audio, plain(ctx, c.label))}</div>`;
  })}</div>
  <div class="feedback" data-feedback aria-live="polite">${result ? result.body : ''}</div>
</fieldset>`;
  });
  return html`${checked ? notice(ctx, correct === quiz.questions.length ? 'ok' : 'info', ctx.t('learn.score', { correct, total: quiz.questions.length }), 'score') : html`<p>${ctx.t('learn.quizIntro')}</p>`}
<form method="post" class="quiz" novalidate data-quiz data-check="/apprendre/quiz/${slugOf(quiz._id)}/verifier">${questions}
<p><button class="btn" type="submit">${icon(ctx, 'check')}<span>${ctx.t('learn.quizCheck')}</span></button></p>
</form>`;
}

export function learnRoutes(router: Router, portal: Portal): void {
  const { catalog } = portal.deps;

  router.get('/apprendre', async function courses(req, res) {
    const ctx = portal.ctx(req);
    const order = (await portal.digest.of('course')).sorted('order', (a, b) => (a.order ?? 99) - (b.order ?? 99) || a.id.localeCompare(b.id));
    const slice = pageOf(req.query, order.length);
    const all = await portal.digest.docs(
      'course',
      order.slice(slice.start, slice.end).map((c) => c.id)
    );
    const body = html`${heading(ctx, 'nav.learn', 'learn')}
<p class="lead">${ctx.t('learn.intro')}</p>
<ul class="cards">${all.map(
      (c) => html`<li class="card course" data-course="${c._id}" data-lessons="${c.lessons.join(' ')}">
  <a class="rowlink" href="/apprendre/${slugOf(c._id)}">${c.cover ? html`<img class="thumb" src="/media/${c.cover}" alt="" loading="lazy">` : contentIcon(ctx, c.icon, CATEGORY_ICON[c.category] ?? 'learn', 'i lg')}
  <span class="grow"><b>${text(ctx, c.title)}</b><small>${ctx.t(`category.${c.category}`)} · ${ctx.t('learn.lessons', { count: c.lessons.length })}${c.durationMinutes ? html` · ${ctx.t('learn.minutes', { count: c.durationMinutes })}` : ''}</small>
  <span class="progress" data-progress hidden></span></span>${icon(ctx, 'chevron', 'i sm')}</a>${play(ctx, c.titleAudio, plain(ctx, c.title))}
</li>`
    )}</ul>
${pager(ctx, '/apprendre', slice)}`;
    portal.send(res, page(ctx, { title: ctx.t('learn.title'), body }));
  });

  // Before /apprendre/:course/:n so that "quiz" is never taken for a course.
  router.get('/apprendre/quiz/:slug', async function quiz(req, res) {
    const ctx = portal.ctx(req);
    const q = await catalog.get(`quiz:${req.params.slug}`);
    const back = q.course ? `/apprendre/${slugOf(q.course)}` : '/apprendre';
    const body = html`<p><a class="back" href="${back}">${icon(ctx, 'back', 'i sm')}${ctx.t('common.back')}</a></p>
<div class="heading"><h1>${icon(ctx, 'quiz', 'i hi')}<span>${text(ctx, q.title)}</span></h1></div>${quizPage(ctx, q, deviceId(req, res))}`;
    // Shuffled for this device: never kept in a shared cache.
    res.set('Cache-Control', 'private, no-cache');
    portal.send(res, page(ctx, { title: plain(ctx, q.title), body }));
  });

  /** With JavaScript, one question is checked as soon as it is answered (the page holds no answer). */
  router.post('/apprendre/quiz/:slug/verifier', async function checkOne(req, res) {
    const ctx = portal.ctx(req);
    const q = await catalog.get(`quiz:${req.params.slug}`);
    const f = formTexts(req.body);
    const question = q.questions[Number(f.question)];
    if (!question || !/^\d{1,2}$/.test(f.choice ?? '') || !question.choices[Number(f.choice)]) {
      throw new AppError(422, 'invalid-answer', 'send question=<number> and choice=<number> of this quiz');
    }
    const result = verdict(ctx, question, f.choice);
    res.set('Cache-Control', 'no-store').json({ ok: result.ok, html: result.body.value });
  });

  router.post('/apprendre/quiz/:slug', async function checkQuiz(req, res) {
    const ctx = portal.ctx(req);
    const q = await catalog.get(`quiz:${req.params.slug}`);
    const answers = formTexts(req.body);
    const back0 = q.course ? `/apprendre/${slugOf(q.course)}` : '/apprendre';
    if (rateLimited(req)) {
      // Nothing counted; the choices stay as they were, with the catalog's sentence.
      const again = html`<p><a class="back" href="${back0}">${icon(ctx, 'back', 'i sm')}${ctx.t('common.back')}</a></p>
<div class="heading"><h1>${icon(ctx, 'quiz', 'i hi')}<span>${text(ctx, q.title)}</span></h1></div>${formNotice(ctx, { fields: {}, form: 'error.tooMany' })}${quizPage(ctx, q, deviceId(req, res), undefined, answers)}`;
      return void portal.send(res, page(ctx, { title: plain(ctx, q.title), body: again }), 429);
    }
    const score = q.questions.filter((question, i) => question.choices[Number(answers[`q${i}`])]?.correct === true).length / q.questions.length;
    if (q.course) {
      await portal.deps.submissions.submit(
        checkSubmission('completion', { course: q.course, score: Math.round(score * 100) / 100, deviceId: deviceId(req, res) }),
        { hubId: portal.deps.config.hubId }
      );
    }
    const back = q.course ? `/apprendre/${slugOf(q.course)}` : '/apprendre';
    const body = html`<p><a class="back" href="${back}">${icon(ctx, 'back', 'i sm')}${ctx.t('common.back')}</a></p>
<div class="heading"><h1>${icon(ctx, 'quiz', 'i hi')}<span>${text(ctx, q.title)}</span></h1></div>${quizPage(ctx, q, deviceId(req, res), answers)}`;
    portal.send(res, page(ctx, { title: plain(ctx, q.title), body }));
  });

  router.get('/apprendre/lecon/:slug', async function lessonById(req, res) {
    const lesson = await catalog.get(`lesson:${req.params.slug}`);
    const course = await courseBySlug(portal, slugOf(lesson.course));
    res.redirect(302, `/apprendre/${slugOf(course._id)}/${course.lessons.indexOf(lesson._id) + 1}`);
  });

  router.get('/apprendre/:slug', async function course(req, res) {
    const ctx = portal.ctx(req);
    const c = await courseBySlug(portal, req.params.slug);
    const lessons = await lessonsOf(portal, c);
    const slug = slugOf(c._id);
    const audioOf = (l: Lesson) => blocksFor(l.blocks, ctx.lang).flatMap((b) => (b.kind === 'audio' ? [b.media] : []));
    const files = await filesOf(portal, lessons.flatMap(audioOf));
    const takeHome = ctx.kiosk
      ? []
      : lessons.flatMap((l, i) =>
          audioOf(l)
            .filter((sha) => files.has(sha))
            .map((sha) => ({ l, i, sha }))
        );
    const body = html`<p><a class="back" href="/apprendre">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.learn')}</a></p>
<article class="course" data-course="${c._id}" data-lessons="${c.lessons.join(' ')}">
<div class="heading"><h1>${contentIcon(ctx, c.icon, CATEGORY_ICON[c.category] ?? 'learn', 'i hi')}<span>${text(ctx, c.title)}</span></h1>${play(ctx, c.titleAudio, plain(ctx, c.title))}</div>
${c.cover ? html`<img class="cover" src="/media/${c.cover}" alt="" loading="lazy">` : ''}
<div class="titlerow"><p class="lead">${text(ctx, c.summary)}</p>${play(ctx, (c as { summaryAudio?: Audio }).summaryAudio, plain(ctx, c.summary).slice(0, 80))}</div>
<p class="meta"><span class="tag">${ctx.t(`category.${c.category}`)}</span> ${sampleMark(ctx, c.sample)} <span class="progress" data-progress data-template="${ctx.t('learn.progress', { done: '{done}', total: '{total}' })}" hidden></span></p>
${keepButton(ctx, `/hors-ligne/liste/course/${slug}`)}
<ol class="lessons">${lessons.map(
      (l, i) =>
        html`<li class="card" data-lesson="${l._id}"><a class="rowlink" href="/apprendre/${slug}/${i + 1}"><span class="num" aria-hidden="true">${i + 1}</span><span class="grow"><small>${ctx.t('learn.lessonN', { n: i + 1 })}</small><b>${text(ctx, l.title)}</b></span><span class="done" data-done hidden>${icon(ctx, 'check', 'i sm')}${ctx.t('learn.done')}</span></a>${play(ctx, l.titleAudio, plain(ctx, l.title))}</li>`
    )}</ol>
${c.quiz ? html`<p><a class="btn" href="/apprendre/quiz/${slugOf(c.quiz)}">${icon(ctx, 'quiz')}<span>${ctx.t('learn.quiz')}</span></a></p>` : ''}
<p><a class="btn" href="/apprendre/${slug}/1">${icon(ctx, 'play')}<span>${ctx.t('learn.start')}</span></a></p>
${
  takeHome.length
    ? html`<section class="take-home" id="emporter">${heading(ctx, 'learn.takeHome', 'download', 2)}<p>${ctx.t('learn.takeHomeIntro')}</p>
<ul class="list downloads">${takeHome.map(({ l, i, sha }) => html`<li><span class="grow">${ctx.t('learn.lessonN', { n: i + 1 })} · ${text(ctx, l.title)}</span>${downloadLink(ctx, sha, files.get(sha), ctx.t('learn.downloadAudio'))}</li>`)}</ul></section>`
    : ''
}
</article>`;
    portal.send(res, page(ctx, { title: plain(ctx, c.title), body }));
  });

  router.get('/apprendre/:slug/:n', async function lesson(req, res) {
    const ctx = portal.ctx(req);
    const c = await courseBySlug(portal, req.params.slug);
    const n = Number(req.params.n);
    const id = Number.isInteger(n) ? c.lessons[n - 1] : undefined;
    if (!id) throw new AppError(404, 'lesson-not-found', 'this course has no lesson with that number');
    const l = await catalog.get(id);
    if (l.type !== 'lesson') throw new AppError(404, 'lesson-not-found', 'this course has no lesson with that number');
    const slug = slugOf(c._id);
    const done = req.query.fini === '1';
    const shown = blocksFor(l.blocks, ctx.lang);
    const files = await filesOf(
      portal,
      shown.flatMap((b) => (b.kind === 'audio' || b.kind === 'video' ? [b.media] : []))
    );
    const body = html`<p><a class="back" href="/apprendre/${slug}">${icon(ctx, 'back', 'i sm')}${text(ctx, c.title)}</a></p>
<article class="lesson" data-course="${c._id}" data-lesson="${l._id}">
<p class="meta">${ctx.t('learn.lessonN', { n })} / ${c.lessons.length}</p>
<div class="heading"><h1>${text(ctx, l.title)}</h1>${play(ctx, l.titleAudio, plain(ctx, l.title))}</div>
${shown.map((b) => block(ctx, b, files))}
${done ? notice(ctx, 'ok', n >= c.lessons.length ? ctx.t('learn.courseDone') : ctx.t('learn.done')) : ''}
<form method="post" action="/apprendre/${slug}/${n}/fini" class="finish">
<button class="btn" type="submit">${icon(ctx, 'check')}<span>${n < c.lessons.length ? ctx.t('learn.next') : ctx.t('learn.finish')}</span></button>
</form>
</article>`;
    portal.send(res, page(ctx, { title: plain(ctx, l.title), body }));
  });

  /** The lesson is done: an anonymous completion is counted and the visitor moves on. */
  router.post('/apprendre/:slug/:n/fini', async function finish(req, res) {
    const c = await courseBySlug(portal, req.params.slug);
    const n = Number(req.params.n);
    const id = Number.isInteger(n) ? c.lessons[n - 1] : undefined;
    if (!id) throw new AppError(404, 'lesson-not-found', 'this course has no lesson with that number');
    await portal.deps.submissions.submit(checkSubmission('completion', { course: c._id, lesson: id, deviceId: deviceId(req, res) }), {
      hubId: portal.deps.config.hubId,
    });
    const slug = slugOf(c._id);
    res.redirect(303, n < c.lessons.length ? `/apprendre/${slug}/${n + 1}` : `/apprendre/${slug}/${n}?fini=1`);
  });
}
