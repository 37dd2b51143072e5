import { APPLICANT_KIND_LABELS, type GrantFigures } from '../indicators/index.js';
import { html, type SafeHtml } from './html.js';

const fcfa = (n: number) => `${new Intl.NumberFormat('fr-FR').format(n)} FCFA`;

/** The calls for local initiatives in figures (the hub's Indicateurs, central's Chiffres). */
export function grantFiguresBlock(title: string, f: GrantFigures): SafeHtml {
  const sorted = (r: Record<string, number>) => Object.entries(r).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return html`<section class="grant-figures"><h2>${title}</h2>
<table class="list"><tbody>
<tr><th scope="row">Appels publiés (ouverts aujourd’hui)</th><td>${f.calls} (${f.open})</td></tr>
<tr><th scope="row">Candidatures</th><td>${f.applications}, ${fcfa(f.requested)} demandés</td></tr>
<tr><th scope="row">Initiatives financées</th><td>${f.funded}, ${fcfa(f.fundedAmount)}</td></tr>
<tr><th scope="row">Dépenses rapportées</th><td>${fcfa(f.reportedSpending)}</td></tr>
</tbody></table>
<table class="list"><caption>Candidatures par type d’organisation</caption><tbody>${sorted(f.byKind).map(([k, n]) => html`<tr><th scope="row">${APPLICANT_KIND_LABELS[k] ?? k}</th><td>${n}</td></tr>`)}</tbody></table>
<table class="list"><caption>Candidatures par commune</caption><tbody>${sorted(f.byCommune).map(([k, n]) => html`<tr><th scope="row">${k}</th><td>${n}</td></tr>`)}</tbody></table>
</section>`;
}
