import { Marked } from 'marked';
import { escapeHtml, raw, type Html } from './html.js';

/**
 * Lesson and document bodies are Markdown. Raw HTML in them is shown as text, and links that
 * leave the hub become plain text: phones have no Internet here and the kiosk must not wander.
 */
const md = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      return /^\/(?![/\\])/.test(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
    },
    image({ href, text }) {
      return /^\/media\/[0-9a-f]{64}$/.test(href) ? `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}" loading="lazy">` : escapeHtml(text);
    },
  },
});

export function markdown(src: string): Html {
  return raw(md.parse(src, { async: false }));
}

/** The first paragraph of a Markdown text as plain words, cut at a word near `max` characters. */
export function excerpt(md: string, max = 180): string {
  const para =
    md
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !p.startsWith('#')) ?? '';
  const plainText = para
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plainText.length <= max) return plainText;
  return `${plainText.slice(0, plainText.lastIndexOf(' ', max))}…`;
}
