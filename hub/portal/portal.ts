import type { Request, Response } from 'express';
import type { HubDeps } from '../deps.js';
import { answerSender, type SendPrepared } from '../http/index.js';
import type { StaticAssets } from './assets.js';
import { pageContext, type PageContext } from './context.js';
import type { ContentDigest } from './digest.js';
import type { Html } from './html.js';
import type { Messages } from './i18n.js';
import type { CachedPage, PageCache, PageStamp } from './page-cache.js';

/** What the page modules share: the hub's services and the portal's assets and messages. */
export class Portal {
  /** Rendered pages, also read by the raw fast path. */
  readonly pages: PageCache;
  /** What lists are sorted and filtered by: pages read only the docs they show. */
  readonly digest: ContentDigest;

  constructor(
    readonly deps: HubDeps,
    readonly assets: StaticAssets,
    readonly messages: Messages,
    /** The Express side's sender of prepared answers (the app shares its negotiation memo with the fast path). */
    private readonly sendPrepared: SendPrepared = answerSender()
  ) {
    this.pages = deps.pages;
    this.digest = deps.digest;
    messages.useOverrides(deps.catalog.translations);
    // Read now, so the first pages already speak the accepted translations.
    deps.catalog.translations.ready().catch((err: unknown) => deps.log.warn({ err }, 'studio translations not read yet'));
  }

  ctx(req: Request): PageContext {
    return pageContext(this.deps, this.assets, this.messages, req);
  }

  /**
   * Pages depend on the visitor's cookies (language, device, kiosk) and change with content:
   * browsers revalidate every time. A page the request was stamped cacheable for is kept in
   * the page cache, unless the answer sets a cookie of its own, and sent as the fast path
   * sends it (the same prepared answer, by the same function).
   */
  send(res: Response, page: Html, status = 200): void {
    const stamp = res.locals.pageStamp as PageStamp | undefined;
    const cacheControl = res.get('Cache-Control');
    if (stamp && status === 200 && cacheControl === undefined && onlyVisitCookie(res)) {
      this.sendCached(res, this.pages.store(stamp, page.value));
      return;
    }
    // A page that says it is private (what the visitor typed, a quiz shuffled for this phone) stays so.
    res.status(status).set({ 'Cache-Control': cacheControl ?? 'no-cache', Vary: 'Cookie, Accept-Encoding' });
    res.type('html').send(page.value);
  }

  /** A page kept in the page cache (this request's, or one another request just rendered). */
  sendCached(res: Response, page: CachedPage): void {
    // Already compressed as negotiated: compression() must leave it alone (router.ts).
    res.locals.prepared = true;
    this.sendPrepared(res.req, res, page);
  }
}

function onlyVisitCookie(res: Response): boolean {
  const set = res.getHeader('Set-Cookie');
  return set === undefined || (Array.isArray(set) ? set : [String(set)]).every((c) => c.startsWith('visit='));
}
