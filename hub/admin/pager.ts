import type { Request } from 'express';
import { pageOf, type Slice } from '../portal/index.js';
import { html, type SafeHtml } from './html.js';

/** Rows on one page of a console list: long lists (thousands of events from central) are read a page at a time. */
export const ADMIN_PAGE_SIZE = 50;

/** The page `?page=` asks for (400 when it is not a page number, the last when beyond it). */
export function adminPage(req: Request, total: number): Slice {
  return pageOf(req.query, total, ADMIN_PAGE_SIZE);
}

/** Previous / next links, only when there is more than one page. */
export function adminPager(path: string, slice: Slice): SafeHtml {
  if (slice.pages <= 1) return html``;
  const href = (n: number) => (n > 1 ? `${path}?page=${n}` : path);
  return html`<nav class="pager" aria-label="Pages">${slice.page > 1 ? html`<a rel="prev" href="${href(slice.page - 1)}">← Page précédente</a> ` : ''}<span>Page ${slice.page} sur ${slice.pages}</span>${slice.page < slice.pages ? html` <a rel="next" href="${href(slice.page + 1)}">Page suivante →</a>` : ''}</nav>`;
}
