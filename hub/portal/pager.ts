import { AppError } from '../../content/index.js';
import type { PageContext } from './context.js';
import { html, type Html } from './html.js';

/** Items on one page of a list: a phone screen or two, and a page that renders in a few ms whatever the total. */
export const PAGE_SIZE = 20;

export interface Slice {
  /** 1-based. */
  page: number;
  pages: number;
  start: number;
  end: number;
}

/**
 * Which page of `total` items `?<name>=` asks for: the first when absent, the last when beyond
 * it (a list that shrank since the link was made), 400 when it is not a page number.
 */
export function pageOf(query: Record<string, unknown>, total: number, size = PAGE_SIZE, name = 'page'): Slice {
  const pages = Math.max(1, Math.ceil(total / size));
  const asked = query[name];
  let page = 1;
  if (asked !== undefined) {
    if (typeof asked !== 'string' || !/^[1-9][0-9]{0,8}$/.test(asked)) {
      throw new AppError(400, 'bad-page', `"?${name}=" takes a page number from 1, like ?${name}=2`);
    }
    page = Math.min(Number(asked), pages);
  }
  const start = (page - 1) * size;
  return { page, pages, start, end: Math.min(total, start + size) };
}

/**
 * Previous / next links under a list, only when there is more than one page. Plain links:
 * they work without JavaScript, and each page is cached by its address.
 */
export function pager(ctx: PageContext, path: string, slice: Slice, keep: Record<string, string> = {}, name = 'page', anchor = ''): Html {
  if (slice.pages <= 1) return html``;
  const href = (page: number): string => {
    const q = new URLSearchParams(Object.entries(keep).filter(([, v]) => v !== ''));
    q.delete(name);
    if (page > 1) q.set(name, String(page));
    const s = q.toString();
    return `${path}${s ? `?${s}` : ''}${anchor}`;
  };
  return html`<nav class="pager" aria-label="${ctx.t('pager.label')}">
${slice.page > 1 ? html`<a class="btn secondary" rel="prev" href="${href(slice.page - 1)}">← ${ctx.t('pager.previous')}</a>` : ''}
<span>${ctx.t('pager.position', { page: slice.page, pages: slice.pages })}</span>
${slice.page < slice.pages ? html`<a class="btn secondary" rel="next" href="${href(slice.page + 1)}">${ctx.t('pager.next')} →</a>` : ''}
</nav>`;
}
