import { ACTION_STATUS_NAME, DECISION_LABEL, type ProposalFigures } from '../indicators/index.js';
import { breakdownTable } from './breakdown-table.js';
import { html, type SafeHtml } from './html.js';

const days = (n: number | null) => (n === null ? '—' : `${Math.round(n * 10) / 10} j`);
const fr = (n: number) => new Intl.NumberFormat('fr-FR').format(n);

/** The proposals' and plans' figures as the hub's indicators, its monthly report and central's Chiffres show them. */
export function proposalFiguresBlock(title: string, f: ProposalFigures, csvHref?: string): SafeHtml {
  const answered = Object.values(f.answered).reduce((a, b) => a + b, 0);
  return html`<section class="proposal-figures">
${breakdownTable(title, [
  { label: 'Propositions faites (par qui les propose)', breakdown: f.made },
  { label: 'Soutiens en ligne (par qui soutient)', breakdown: f.online },
])}
<p class="meta">Propositions pour les femmes : ${f.forWomen} · pour les jeunes : ${f.forYoung} · soutiens sur papier : ${f.paper} · au seuil de leur commune : ${f.reachedThreshold} · répondues : ${answered} (${Object.entries(
    f.answered
  )
    .map(([d, n]) => `${n} ${DECISION_LABEL[d]}`)
    .join(', ')}) · délai de réponse : médiane ${days(f.daysToAnswer.median)}, moyenne ${days(f.daysToAnswer.mean)}.</p>
<table class="list"><thead><tr><th>Commune</th><th>Propositions</th></tr></thead><tbody>${Object.entries(f.byCommune).map(([c, n]) => html`<tr><td>${c}</td><td>${n}</td></tr>`)}</tbody></table>
<table class="list"><thead><tr><th>Thème</th><th>Propositions</th></tr></thead><tbody>${Object.entries(f.byTheme)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => html`<tr><td>${t}</td><td>${n}</td></tr>`)}</tbody></table>
<table class="list"><thead><tr><th>Espace</th><th>Propositions</th><th>Soutiens en ligne</th><th>Soutiens sur papier</th></tr></thead><tbody>${Object.entries(f.byHub).map(([h, c]) => html`<tr><td>${h}</td><td>${c.proposals}</td><td>${c.online}</td><td>${c.paper}</td></tr>`)}</tbody></table>
<p class="meta">Actions des plans (${f.actions.total}) : ${Object.entries(f.actions.byStatus)
    .map(([st, n]) => `${n} ${ACTION_STATUS_NAME[st]}`)
    .join(
      ', '
    )} · part réalisée moyenne ${f.actions.meanDone === null ? '—' : `${Math.round(f.actions.meanDone)} %`} · ${fr(f.actions.spent)} FCFA dépensés sur ${fr(f.actions.budget)}.</p>
${csvHref ? html`<p class="no-print"><a href="${csvHref}">Exporter les propositions et les plans (CSV)</a></p>` : ''}
</section>`;
}
