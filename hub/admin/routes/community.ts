import { sessionOf, type Session } from '../../auth/index.js';
import { monthRange } from '../../indicators/index.js';
import { communityFiguresBlock } from '../community-figures.js';
import { field, param, query } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page, when } from '../layout.js';
import { STAFF, type AdminRoute, type AdminServices } from '../route-table.js';

const STATE_LABEL: Record<string, string> = { pending: 'en attente', sent: 'envoyé à Bamako', published: 'publié', hidden: 'masqué', rejected: 'refusé' };

async function recentPosts(s: AdminServices, session: Session): Promise<SafeHtml> {
  const c = s.deps.community;
  await c.ready();
  const mine = [...c.board.all()]
    .filter((e) => e.local)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 50);
  const rows = await Promise.all(
    mine.map(async (e) => {
      const doc = await c.doc(e.id);
      return { e, text: doc?.text ?? '', state: c.stateOf(e, true) };
    })
  );
  return html`<table class="list"><thead><tr><th>Date</th><th>Membre</th><th>Message</th><th>État</th><th></th></tr></thead><tbody>${rows.map(
    ({ e, text, state }) =>
      html`<tr><td>${when(e.createdAt)}</td><td>${e.author.name} (${e.author.code})</td><td>${e.title ? html`<b>${e.title}</b> ` : ''}${text.slice(0, 200)}${e.hasVoice ? ' 🎙' : ''}${e.flagsHere ? html` <b>· ${e.flagsHere} signalement(s)</b>` : ''}</td><td>${STATE_LABEL[state] ?? state}${e.hiddenHere ? html` (ici : ${e.hiddenHere})` : ''}</td><td><form method="post" action="/admin/community/hide" class="inline">${csrfField(session)}<input type="hidden" name="post" value="${e.id}"><input type="hidden" name="hide" value="${e.hiddenHere ? 'no' : 'yes'}"><label class="sr-only" for="r-${e.id}">Pourquoi ?</label><input id="r-${e.id}" name="reason" required maxlength="300" placeholder="pourquoi ?"><button type="submit">${e.hiddenHere ? 'Montrer' : 'Masquer ici'}</button></form></td></tr>`
  )}</tbody></table>`;
}

export const communityRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/community',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const month = query(req, 'month') || new Date().toISOString().slice(0, 7);
      const range = monthRange(month);
      const f = await s.deps.community.figures({ from: range.from, to: `${range.to}\uffff` });
      const questions = await s.deps.community.allQuestions();
      const body = html`
${communityFiguresBlock(`Communauté, ${month}`, f)}
<h2>Messages écrits dans cet espace</h2>
<p class="hint">Ils sont visibles ici tout de suite (« en attente »), puis partent à Bamako pour la modération. Un message qui pose problème peut être masqué ici à l’instant, avec une raison : les modérateurs à Bamako le voient aussi.</p>
${await recentPosts(s, session)}
<h2>Questions aux mentores</h2>
<table class="list"><thead><tr><th>Date</th><th>Membre</th><th>Question</th><th>Qui lit</th><th>État</th></tr></thead><tbody>${questions.map(
        (v) =>
          html`<tr><td>${when(v.question.createdAt)}</td><td>${v.question.author.name}</td><td><a href="/admin/community/question/${encodeURIComponent(v.question._id)}">${(v.question.text ?? '(voix)').slice(0, 120)}</a></td><td>${v.question.visibility === 'private' ? 'privée' : 'publique'}</td><td>${v.resolved ? 'résolue' : v.answer?.answers.length ? 'répondue' : 'en attente'}</td></tr>`
      )}</tbody></table>`;
      return { page: page({ title: 'Communauté', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/community/hide',
    roles: STAFF,
    action: 'community.hide',
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const post = field(req, 'post');
      const hide = field(req, 'hide') !== 'no';
      await s.deps.community.hideHere(post, hide, field(req, 'reason'), session.username);
      return {
        redirect: '/admin/community',
        flash: hide ? 'Message masqué dans cet espace.' : 'Message de nouveau visible ici.',
        audit: { target: post, detail: field(req, 'reason') },
      };
    },
  },
  {
    method: 'GET',
    path: '/admin/community/question/:id',
    roles: STAFF,
    example: { id: 'kayes-demo:question:000000000000' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const v = await s.deps.community.questionFor(param(req, 'id'), { facilitator: true });
      const q = v.question;
      const body = html`<p><a href="/admin/community">← Communauté</a></p>
<p class="meta">${q.author.name} (${q.author.code}) · ${when(q.createdAt)} · ${q.visibility === 'private' ? 'privée' : 'publique'} · langue ${q.lang}</p>
<p>${q.text ?? ''}</p>
${(v.answer?.answers ?? []).map((a) => html`<div class="answer"><p class="meta">${a.by} · ${when(a.at)}</p><p>${a.text ?? ''}</p>${a.voice ? html`<audio controls preload="none" src="/media/${a.voice}"></audio>` : ''}</div>`)}
${v.answer?.answers.length ? '' : html`<p class="hint">Pas encore de réponse.</p>`}
${v.resolved ? html`<p><b>Résolue</b> (marquée par la personne).</p>` : ''}`;
      return { page: page({ title: 'Question aux mentores', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
];
