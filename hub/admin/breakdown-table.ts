import { AGE_KEYS, SEX_KEYS, formatShare, type Breakdown } from '../indicators/index.js';
import { html, type SafeHtml } from './html.js';
import { SEX_LABEL, ageLabel } from './layout.js';

/** A table of counts by sex and age band (unknown included), with the shares of women and young people. */
export function breakdownTable(caption: string, rows: { label: string; breakdown: Breakdown }[], firstColumn = 'Indicateur'): SafeHtml {
  return html`<table class="figures">
<caption>${caption}</caption>
<thead><tr><th scope="col">${firstColumn}</th><th scope="col">Total</th>${SEX_KEYS.map((s) => html`<th scope="col">${SEX_LABEL[s]}</th>`)}${AGE_KEYS.map(
    (a) => html`<th scope="col">${ageLabel(a)}</th>`
  )}<th scope="col">% femmes</th><th scope="col">% jeunes 15–35</th></tr></thead>
<tbody>${rows.map(
    ({ label, breakdown: b }) =>
      html`<tr><th scope="row">${label}</th><td>${b.total}</td>${SEX_KEYS.map((s) => html`<td>${b.bySex[s]}</td>`)}${AGE_KEYS.map((a) => html`<td>${b.byAge[a]}</td>`)}<td>${formatShare(
        b.womenShare
      )}</td><td>${formatShare(b.youthShare)}</td></tr>`
  )}</tbody>
</table>`;
}
