import type { Request, Response } from 'express';
import type { ContentDoc, ContentType } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import type { StaticAssets } from './assets.js';
import type { PageContext } from './context.js';
import { formatsFor } from './format.js';
import type { Html } from './html.js';
import type { Messages } from './i18n.js';
import { cookies, languageOf } from './request.js';

/** What the page modules share: the hub's services and the portal's assets and messages. */
export class Portal {
  private readonly lists = new Map<string, { gen: number; docs: Promise<ContentDoc[]> }>();

  constructor(
    readonly deps: HubDeps,
    readonly assets: StaticAssets,
    readonly messages: Messages,
  ) {}

  /**
   * Every doc of a type, read once per content generation (content changes only when a pack
   * lands or sync pulls): pages list the same announcements, events and officials for everyone.
   */
  async all<T extends ContentDoc>(type: ContentType): Promise<T[]> {
    const gen = this.deps.catalog.generation;
    let entry = this.lists.get(type);
    if (!entry || entry.gen !== gen) {
      entry = { gen, docs: this.deps.catalog.all(type) };
      this.lists.set(type, entry);
      entry.docs.catch(() => this.lists.delete(type));
    }
    // A copy: pages sort and filter what they get.
    return (await entry.docs).slice() as T[];
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
      fmt: formatsFor(lang),
      t: (key, values) => this.messages.t(lang, key, values),
    };
  }

  /** Pages depend on the visitor's cookies (language, device, kiosk) and change with content: revalidate every time. */
  send(res: Response, page: Html, status = 200): void {
    res.status(status).set({ 'Cache-Control': 'no-cache', Vary: 'Cookie, Accept-Encoding' }).type('html').send(page.value);
  }
}
