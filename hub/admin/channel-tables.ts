import { CHANNEL_KINDS, CHANNEL_KIND_LABELS, type ChannelRow } from '../indicators/index.js';
import { breakdownTable } from './breakdown-table.js';
import { html, type SafeHtml } from './html.js';

/** The figures by channel (web, kiosk, SMS, paper): by sex and age band, then act by act. */
export function channelTables(
  rows: readonly ChannelRow[],
  caption = 'Participations par canal (votes, inscriptions, intéressé·es), par sexe et tranche d’âge'
): SafeHtml {
  return html`<section class="channels" aria-label="Par canal">
${breakdownTable(
  caption,
  rows.map((r) => ({ label: r.label, breakdown: r.all })),
  'Canal'
)}
<table class="figures"><caption>Par canal et par acte</caption>
<thead><tr><th scope="col">Canal</th>${CHANNEL_KINDS.map((k) => html`<th scope="col">${CHANNEL_KIND_LABELS[k]}</th>`)}<th scope="col">dont femmes</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th>${CHANNEL_KINDS.map((k) => html`<td>${r.byKind[k].total}</td>`)}<td>${r.all.bySex.F}</td></tr>`)}</tbody></table>
</section>`;
}
