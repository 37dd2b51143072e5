import type { Request, Response } from 'express';
import type { HubDeps } from '../deps.js';
import type { StaticAssets } from './assets.js';
import type { PageContext } from './context.js';
import type { ContentDigest } from './digest.js';
import { formatsFor } from './format.js';
import type { Html } from './html.js';
import type { Messages } from './i18n.js';
import type { CachedPage, PageCache, PageStamp } from './page-cache.js';
import { cookies, languageOf } from './request.js';

/** What the page modules share: the hub's services and the portal's assets and messages. */
export class Portal {
  /** Rendered pages, also read by the raw fast path. */
  readonly pages: PageCache;
  /** What lists are sorted and filtered by: pages read only the docs they show. */
  readonly digest: ContentDigest;

  constructor(
    readonly deps: HubDeps,
    readonly assets: StaticAssets,
    readonly messages: Messages
  ) {
    this.pages = deps.pages;
    this.digest = deps.digest;
    messages.useOverrides(deps.catalog.translations);
    // Read now, so the first pages already speak the accepted translations.
    deps.catalog.translations.ready().catch((err: unknown) => deps.log.warn({ err }, 'studio translations not read yet'));
  }

  ctx(req: Request): PageContext {
    const lang = languageOf(req) ?? 'fr';
    const kiosk = cookies(req).mode === 'kiosk';
    return {
      lang,
      kiosk,
      path: req.originalUrl.split('#')[0]!.slice(0, 400),
      config: this.deps.config,
      assets: this.assets,
      messages: this.messages,
      voices: this.deps.catalog.translations,
      fmt: formatsFor(lang),
      t: (key, values) => this.messages.t(lang, key, values),
    };
  }

  /**
   * Pages depend on the visitor's cookies (language, device, kiosk) and change with content:
   * browsers revalidate every time. A page the request was stamped cacheable for is kept in
   * the page cache, unless the answer sets a cookie of its own.
   */
  send(res: Response, page: Html, status = 200): void {
    // A page that says it is private (what the visitor typed, a quiz shuffled for this phone) stays so.
    res.status(status).set({ 'Cache-Control': res.get('Cache-Control') ?? 'no-cache', Vary: 'Cookie, Accept-Encoding' });
    const stamp = res.locals.pageStamp as PageStamp | undefined;
    if (stamp && status === 200 && onlyVisitCookie(res)) res.set('ETag', this.pages.store(stamp, page.value));
    res.type('html').send(page.value);
  }

  /** A page another request just rendered, sent as send() would (Express's 304 and compression). */
  sendCached(res: Response, page: CachedPage): void {
    res.status(200).set({ 'Cache-Control': 'no-cache', Vary: 'Cookie, Accept-Encoding', ETag: page.etag }).type('html').send(page.body);
  }
}

function onlyVisitCookie(res: Response): boolean {
  const set = res.getHeader('Set-Cookie');
  return set === undefined || (Array.isArray(set) ? set : [String(set)]).every((c) => c.startsWith('visit='));
}
