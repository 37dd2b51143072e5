import type { IncomingMessage } from 'node:http';
import type { Config } from '../config/index.js';
import type { Language } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import type { StaticAssets } from './assets.js';
import { formatsFor, type Formats } from './format.js';
import type { Messages } from './i18n.js';
import { cookies, languageOf } from './request.js';

/** What every page is rendered with: the visitor's language and mode, messages and formats. */
export interface PageContext {
  lang: Language;
  /** The shared screen's layout: larger type, nothing that leaves the hub. */
  kiosk: boolean;
  /** The path asked for (for the language switch's way back and the current section). */
  path: string;
  config: Config;
  assets: StaticAssets;
  messages: Messages;
  /** Which recordings people made (the studio's), so a ▶ can say whose voice it plays. */
  voices: { isHuman(sha256: string): boolean };
  fmt: Formats;
  t(key: string, values?: Record<string, string | number>): string;
}

/** A request as pages read it: its cookies and address (Express's, or a bare one's on the fast path). */
export type PageRequestLike = Pick<IncomingMessage, 'headers' | 'url'> & { originalUrl?: string };

/** The context of a page for `req`: the language and mode of its cookies (French by default). */
export function pageContext(deps: Pick<HubDeps, 'config' | 'catalog'>, assets: StaticAssets, messages: Messages, req: PageRequestLike): PageContext {
  const lang = languageOf(req) ?? 'fr';
  return {
    lang,
    kiosk: cookies(req).mode === 'kiosk',
    path: (req.originalUrl ?? req.url ?? '/').split('#')[0]!.slice(0, 400),
    config: deps.config,
    assets,
    messages,
    voices: deps.catalog.translations,
    fmt: formatsFor(lang),
    t: (key, values) => messages.t(lang, key, values),
  };
}
