import type { Config } from '../config/index.js';
import type { Language } from '../../content/index.js';
import type { StaticAssets } from './assets.js';
import type { Formats } from './format.js';
import type { Messages } from './i18n.js';

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
