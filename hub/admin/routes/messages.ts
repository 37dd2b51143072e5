import { AppError } from '../../../content/index.js';
import { sessionOf } from '../../auth/index.js';
import { field, param, query } from '../form.js';
import { html } from '../html.js';
import { SEX_LABEL, actionButton, ageLabel, csrfField, page, when } from '../layout.js';
import { MESSAGE_STATUSES, allMessages, getMessage, updateMessage, voiceOf, type MessageAction } from '../messages.js';
import { STAFF, type AdminRoute } from '../route-table.js';

const STATUS_LABEL: Record<string, string> = { new: 'Nouveaux', forwarded: 'Transmis', answered: 'Répondus', hidden: 'Masqués', all: 'Tous' };
const msgUrl = (id: string) => `/admin/messages/${encodeURIComponent(id)}`;

export const messageRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/messages',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const status = (MESSAGE_STATUSES as readonly string[]).includes(query(req, 'status')) || query(req, 'status') === 'all' ? query(req, 'status') : 'new';
      const all = await allMessages(s.deps.dbs.submissions, s.deps.config.hubId);
      const list = status === 'all' ? all : all.filter((m) => (m.status ?? 'new') === status);
      // Only the officials these messages are addressed to.
      const officials = new Map((await s.deps.digest.docs('official', [...new Set(list.map((m) => m.official))])).map((o) => [o._id, o]));
      const back = `/admin/messages?status=${status}`;
      const body = html`
<nav class="tabs" aria-label="Statut">${[...MESSAGE_STATUSES, 'all'].map(
        (k) =>
          html`<a href="/admin/messages?status=${k}" ${k === status ? html`aria-current="page"` : ''}>${STATUS_LABEL[k]} (${k === 'all' ? all.length : all.filter((m) => (m.status ?? 'new') === k).length})</a>`
      )}</nav>
${list.length === 0 ? html`<p>Aucun message ici.</p>` : ''}
${list.map((m) => {
  const o = officials.get(m.official);
  const voice = voiceOf(m);
  return html`<article class="message ${m.status}">
<header><strong>À ${o ? `${o.name} (${o.role}, ${o.commune})` : m.official}</strong> · ${when(m.createdAt)} · ${SEX_LABEL[m.sex ?? 'unknown']} · ${ageLabel(m.ageBand ?? 'unknown')}${m.commune ? ` · ${m.commune}` : ''}${m.contact ? html` · contact : ${m.contact}` : ''}</header>
${m.message ? html`<p class="text">${m.message}</p>` : ''}
${voice ? html`<audio controls preload="none" src="${msgUrl(m._id)}/voice"></audio>` : ''}
${m.answer ? html`<p class="answer"><strong>Réponse${m.answerPublic ? ' (publiée)' : ''} :</strong> ${m.answer}</p>` : ''}
<div class="actions">
${m.status !== 'forwarded' && m.status !== 'hidden' ? actionButton(session, msgUrl(m._id), 'Marquer transmis', { action: 'forward', back }) : ''}
${m.status === 'hidden' ? actionButton(session, msgUrl(m._id), 'Ne plus masquer', { action: 'unhide', back }) : actionButton(session, msgUrl(m._id), 'Masquer (abusif)', { action: 'hide', back }, 'quiet')}
</div>
${
  m.status !== 'hidden'
    ? html`<form method="post" action="${msgUrl(m._id)}" class="stack answer-form">
${csrfField(session)}<input type="hidden" name="action" value="answer"><input type="hidden" name="back" value="${back}">
<label for="answer-${m._id}">Réponse de l’élu·e</label>
<textarea id="answer-${m._id}" name="answer" rows="2" maxlength="4000">${m.answer ?? ''}</textarea>
<label class="choice"><input type="checkbox" name="publish" value="yes" ${m.answerPublic ? html`checked` : ''}> Publier la réponse sur le mur des résultats (seulement l’élu·e et la réponse)</label>
<button type="submit">Enregistrer la réponse</button>
</form>`
    : ''
}
</article>`;
})}`;
      return { page: page({ title: 'Messages aux élus', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/messages/:id/voice',
    roles: STAFF,
    example: { id: 'kayes-demo:feedback:000000000000' },
    async handle(s, req, res) {
      const m = await getMessage(s.deps.dbs.submissions, s.deps.config.hubId, param(req, 'id'));
      const name = voiceOf(m);
      if (!name) throw new AppError(404, 'no-recording', 'this message has no voice recording');
      const stub = (m._attachments as Record<string, { content_type?: string }>)[name]!;
      const data = (await s.deps.dbs.submissions.getAttachment(m._id, name)) as Buffer;
      res
        .status(200)
        .type(stub.content_type ?? 'application/octet-stream')
        .set('Content-Length', String(data.length))
        .send(data);
    },
  },
  {
    method: 'POST',
    path: '/admin/messages/:id',
    roles: STAFF,
    action: 'message.update',
    example: { id: 'kayes-demo:feedback:000000000000' },
    async handle(s, req) {
      const m = await getMessage(s.deps.dbs.submissions, s.deps.config.hubId, param(req, 'id'));
      const kind = field(req, 'action');
      let action: MessageAction;
      if (kind === 'forward' || kind === 'hide' || kind === 'unhide') action = { kind };
      else if (kind === 'answer') action = { kind, answer: field(req, 'answer'), publish: field(req, 'publish') === 'yes' };
      else throw new AppError(422, 'unknown-action', 'action must be forward, answer, hide or unhide');
      const updated = await updateMessage(s.deps.dbs.submissions, m, action);
      const back = field(req, 'back');
      return {
        redirect: /^\/admin\/messages\?status=[a-z]+$/.test(back) ? back : '/admin/messages',
        flash: 'Message mis à jour.',
        audit: { target: m._id, detail: `${kind}${action.kind === 'answer' && action.publish ? ' (published)' : ''} → ${updated.status}` },
      };
    },
  },
];
