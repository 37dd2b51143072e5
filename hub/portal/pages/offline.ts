import type { Router } from 'express';
import { AppError, type Lesson } from '../../../content/index.js';
import { heading, icon, plain, slugOf } from '../components.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';

/** Every media hash a lesson shows. */
function lessonMedia(l: Lesson): string[] {
  const out: string[] = [];
  for (const b of l.blocks) {
    if (b.kind === 'audio' || b.kind === 'image') out.push(b.media);
    if (b.kind === 'video') out.push(b.media, ...(b.poster ? [b.poster] : []));
  }
  for (const sha of Object.values(l.titleAudio ?? {})) if (sha) out.push(sha);
  return out;
}

export function offlineRoutes(router: Router, portal: Portal): void {
  const { catalog } = portal.deps;

  /** The kept items live in the phone's Cache Storage: the island lists them and the space they use. */
  router.get('/hors-ligne', function kept(req, res) {
    const ctx = portal.ctx(req);
    const body = html`${heading(ctx, 'offline.title', 'offline')}
<p class="lead">${ctx.t('offline.intro')}</p>
<div data-kept data-none="${ctx.t('offline.none')}" data-used="${ctx.t('offline.used', { used: '{used}' })}" data-remove="${ctx.t('offline.remove')}" data-unavailable="${ctx.t('offline.unavailable')}">
<p class="usage" data-usage></p>
<ul class="list" data-items></ul>
</div>
<section class="cannot-keep" data-cannot-keep>${heading(ctx, 'offline.needs', 'alert', 2)}
<p>${ctx.t('offline.needsWhy')}</p>
<p>${ctx.t('offline.needsInstead')}</p>
<p><a class="btn secondary" href="/apprendre">${icon(ctx, 'learn')}<span>${ctx.t('nav.learn')}</span></a> <a class="btn secondary" href="/sinformer">${icon(ctx, 'inform')}<span>${ctx.t('nav.inform')}</span></a></p>
</section>`;
    portal.send(res, page(ctx, { title: ctx.t('offline.title'), body }));
  });

  /** What *Garder hors-ligne* puts in the phone's cache for a course, a document or a plan. */
  router.get('/hors-ligne/liste/:type/:slug', async function keepList(req, res) {
    const ctx = portal.ctx(req);
    const { type, slug } = req.params;
    const urls: string[] = [];
    const media = new Set<string>();
    let title: string;
    let home: string;
    if (type === 'course') {
      const c = await catalog.get(`course:${slug}`);
      title = plain(ctx, c.title);
      home = `/apprendre/${slug}`;
      urls.push(home, ...c.lessons.map((_, i) => `/apprendre/${slug}/${i + 1}`));
      if (c.quiz) urls.push(`/apprendre/quiz/${slugOf(c.quiz)}`);
      if (c.cover) media.add(c.cover);
      for (const sha of Object.values(c.titleAudio ?? {})) if (sha) media.add(sha);
      for (const id of c.lessons) {
        const l = await catalog.maybe(id);
        if (l?.type === 'lesson') for (const sha of lessonMedia(l)) media.add(sha);
      }
    } else if (type === 'document') {
      const d = await catalog.get(`document:${slug}`);
      title = plain(ctx, d.title);
      home = `/sinformer/${slug}`;
      urls.push(home);
      if (d.file) media.add(d.file);
      for (const sha of Object.values(d.titleAudio ?? {})) if (sha) media.add(sha);
    } else if (type === 'plan') {
      const p = await catalog.get(`plan:${slug}`);
      title = plain(ctx, p.title);
      home = `/plans/${slug}`;
      urls.push(home);
      for (const x of p.priorities) for (const a of x.actions) for (const u of a.progress ?? []) for (const e of u.evidence ?? []) media.add(e.media);
    } else if (type === 'call') {
      const c = await catalog.get(`call:${slug}`);
      title = plain(ctx, c.title);
      home = `/appels/${slug}`;
      urls.push(home);
      for (const r of c.reports ?? []) for (const sha of [...r.evidence.map((e) => e.media), ...(r.voice ? [r.voice] : [])]) media.add(sha);
    } else {
      throw new AppError(404, 'not-keepable', 'only a course, a document, a plan or a call can be kept offline');
    }
    // Only files already on the hub: one still on its way from Bamako would fail the whole keep.
    const present = await Promise.all([...media].map(async (sha) => ((await portal.deps.media.has(sha)) ? `/media/${sha}` : null)));
    res.set('Cache-Control', 'no-cache').json({ key: `kept:${type}:${slug}`, title, home, urls: [...urls, ...present.filter((u): u is string => u !== null)] });
  });
}
