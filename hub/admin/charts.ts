import { YOUTH_BANDS } from '../../content/index.js';
import { formatShare, type Breakdown } from '../indicators/index.js';
import { html, trusted, type SafeHtml } from './html.js';

/**
 * Server-rendered SVG charts: readable without JavaScript, printable, accessible (title and
 * description, every segment labelled with its count), and told apart by pattern as well as
 * colour, so they survive black-and-white printing and colour blindness.
 */

interface Segment {
  key: string;
  label: string;
  value: number;
}

interface Style {
  fill: string;
  /** Pattern drawn over the fill. */
  pattern: (id: string, fill: string) => string;
}

const stripes = (id: string, fill: string) =>
  `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="${fill}"/><rect width="3" height="8" fill="#ffffff" fill-opacity="0.55"/></pattern>`;
const dots = (id: string, fill: string) =>
  `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${fill}"/><circle cx="4" cy="4" r="1.8" fill="#ffffff" fill-opacity="0.7"/></pattern>`;
const cross = (id: string, fill: string) =>
  `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${fill}"/><path d="M0 0L8 8M8 0L0 8" stroke="#333333" stroke-width="0.8"/></pattern>`;
const plain = (id: string, fill: string) =>
  `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${fill}"/></pattern>`;

const STYLES: Record<string, Style> = {
  F: { fill: '#8e2c6b', pattern: stripes },
  M: { fill: '#1f5f8b', pattern: dots },
  youth: { fill: '#b35900', pattern: stripes },
  other: { fill: '#4d6b2e', pattern: dots },
  unknown: { fill: '#c8c8c8', pattern: cross },
  bar: { fill: '#1f5f8b', pattern: plain },
};

const esc = (s: string) => html`${s}`.value;
let counter = 0;

/** A 100 % stacked horizontal bar per row, segments labelled with counts, and a legend. */
function stackedChart(title: string, desc: string, rows: { label: string; segments: Segment[] }[], keys: Segment[]): SafeHtml {
  const uid = `c${(counter = (counter + 1) % 1_000_000)}`;
  const labelW = 230;
  const barW = 420;
  const rowH = 34;
  const legendH = 30;
  const width = labelW + barW + 10;
  const height = rows.length * rowH + legendH + 10;
  const defs = keys.map((k) => STYLES[k.key]!.pattern(`${uid}-${k.key}`, STYLES[k.key]!.fill)).join('');
  const bars = rows
    .map((r, i) => {
      const y = i * rowH + 4;
      const total = r.segments.reduce((s, x) => s + x.value, 0);
      let x = labelW;
      const parts = r.segments
        .filter((seg) => seg.value > 0)
        .map((seg) => {
          const w = (seg.value / total) * barW;
          const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="url(#${uid}-${seg.key})" stroke="#ffffff"><title>${esc(`${r.label} — ${seg.label} : ${seg.value}`)}</title></rect>`;
          const text = w > 26 ? `<text x="${(x + w / 2).toFixed(1)}" y="${y + rowH / 2}" text-anchor="middle" class="seg">${seg.value}</text>` : '';
          x += w;
          return rect + text;
        })
        .join('');
      const empty = total === 0 ? `<text x="${labelW + 4}" y="${y + rowH / 2}" class="empty">aucune donnée</text>` : '';
      return `<text x="${labelW - 8}" y="${y + rowH / 2}" text-anchor="end">${esc(`${r.label} (${total})`)}</text>${parts}${empty}`;
    })
    .join('');
  const ly = rows.length * rowH + 14;
  const legend = keys
    .map((k, i) => {
      const lx = labelW + i * 140;
      return `<rect x="${lx}" y="${ly}" width="16" height="16" fill="url(#${uid}-${k.key})" stroke="#333333" stroke-width="0.5"/><text x="${lx + 22}" y="${ly + 12}">${esc(k.label)}</text>`;
    })
    .join('');
  return trusted(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${uid}-t ${uid}-d" xmlns="http://www.w3.org/2000/svg">` +
      `<title id="${uid}-t">${esc(title)}</title><desc id="${uid}-d">${esc(desc)}</desc><defs>${defs}</defs>` +
      `<g font-family="sans-serif" font-size="13" dominant-baseline="middle">${bars}${legend}</g></svg>`
  );
}

/** Each indicator split into women, men and sex unknown. */
export function sexChart(title: string, rows: { label: string; breakdown: Breakdown }[]): SafeHtml {
  const keys = [
    { key: 'F', label: 'Femmes', value: 0 },
    { key: 'M', label: 'Hommes', value: 0 },
    { key: 'unknown', label: 'Sexe inconnu', value: 0 },
  ];
  const desc = rows
    .map(
      (r) =>
        `${r.label} : ${r.breakdown.bySex.F} femmes, ${r.breakdown.bySex.M} hommes, ${r.breakdown.bySex.unknown} inconnu, part des femmes ${formatShare(r.breakdown.womenShare)}`
    )
    .join('. ');
  return stackedChart(
    title,
    desc,
    rows.map((r) => ({ label: r.label, segments: keys.map((k) => ({ ...k, value: r.breakdown.bySex[k.key as 'F' | 'M' | 'unknown'] })) })),
    keys
  );
}

/** Each indicator split into young people (15–35), other ages and age unknown. */
export function youthChart(title: string, rows: { label: string; breakdown: Breakdown }[]): SafeHtml {
  const keys = [
    { key: 'youth', label: 'Jeunes 15–35 ans', value: 0 },
    { key: 'other', label: 'Autres âges', value: 0 },
    { key: 'unknown', label: 'Âge inconnu', value: 0 },
  ];
  const split = (b: Breakdown) => {
    const youth = YOUTH_BANDS.reduce((s, a) => s + b.byAge[a], 0);
    return { youth, other: b.total - youth - b.byAge.unknown, unknown: b.byAge.unknown };
  };
  const desc = rows
    .map((r) => {
      const x = split(r.breakdown);
      return `${r.label} : ${x.youth} jeunes, ${x.other} autres âges, ${x.unknown} âge inconnu, part des jeunes ${formatShare(r.breakdown.youthShare)}`;
    })
    .join('. ');
  return stackedChart(
    title,
    desc,
    rows.map((r) => {
      const x = split(r.breakdown);
      return { label: r.label, segments: keys.map((k) => ({ ...k, value: x[k.key as 'youth' | 'other' | 'unknown'] })) };
    }),
    keys
  );
}

/** Plain horizontal bars with their values (votes per option). */
export function barChart(title: string, items: { label: string; value: number }[]): SafeHtml {
  const uid = `c${(counter = (counter + 1) % 1_000_000)}`;
  const labelW = 230;
  const barW = 380;
  const rowH = 30;
  const max = Math.max(1, ...items.map((i) => i.value));
  const total = items.reduce((s, i) => s + i.value, 0);
  const rows = items
    .map((it, i) => {
      const y = i * rowH + 4;
      const w = (it.value / max) * barW;
      const pct = total ? ` (${Math.round((it.value / total) * 100)} %)` : '';
      return `<text x="${labelW - 8}" y="${y + rowH / 2 - 2}" text-anchor="end">${esc(it.label)}</text><rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="${STYLES.bar!.fill}"/><text x="${labelW + w + 6}" y="${y + rowH / 2 - 2}">${it.value}${pct}</text>`;
    })
    .join('');
  const desc = items.map((i) => `${i.label} : ${i.value}`).join(', ');
  return trusted(
    `<svg class="chart" viewBox="0 0 ${labelW + barW + 80} ${items.length * rowH + 8}" width="100%" role="img" aria-labelledby="${uid}-t ${uid}-d" xmlns="http://www.w3.org/2000/svg">` +
      `<title id="${uid}-t">${esc(title)}</title><desc id="${uid}-d">${esc(desc)}</desc><g font-family="sans-serif" font-size="13" dominant-baseline="middle">${rows}</g></svg>`
  );
}
