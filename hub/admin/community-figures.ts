import type { CommunityFigures } from '../indicators/index.js';
import { breakdownTable } from './breakdown-table.js';
import { html, type SafeHtml } from './html.js';

/** The community figures as the console's tables: posts, replies, questions, answered, by sex and age band; time to an answer; per space. */
export function communityFiguresBlock(title: string, f: CommunityFigures): SafeHtml {
  const h = (n: number | null) => (n === null ? '—' : `${Math.round(n * 10) / 10} h`);
  return html`${breakdownTable(title, [
    { label: 'Discussions lancées', breakdown: f.posts },
    { label: 'Réponses dans les discussions', breakdown: f.replies },
    { label: 'Questions aux mentores', breakdown: f.questions },
    { label: 'Questions répondues', breakdown: f.answered },
  ])}
<p class="meta">Délai avant la première réponse d’une mentore : médiane ${h(f.hoursToAnswer.median)}, moyenne ${h(f.hoursToAnswer.mean)} (${f.hoursToAnswer.n} question(s)) · ${f.resolved} question(s) marquée(s) « résolu ».</p>
${Object.keys(f.bySpace).length > 1 ? html`<table class="list"><thead><tr><th>Espace</th><th>Discussions</th><th>Réponses</th><th>Questions</th><th>Répondues</th></tr></thead><tbody>${Object.entries(f.bySpace).map(([hub, c]) => html`<tr><td>${hub}</td><td>${c.posts}</td><td>${c.replies}</td><td>${c.questions}</td><td>${c.answered}</td></tr>`)}</tbody></table>` : ''}`;
}
