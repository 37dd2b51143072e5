import { readFileSync } from 'node:fs';
import { AppError, isAppError } from '../../../../content/index.js';
import { checkVoice, csrfField, html, VOICE_MAX_SECONDS, when, type Value, formText } from '../../../../hub/index.js';
import {
  answerQuestion,
  approvePost,
  mentorQueue,
  moderationLog,
  moderationQueue,
  postWithVoice,
  processCommunity,
  questionWithVoice,
  setMemberSuspended,
  setPostStatus,
} from '../../community/index.js';
import { BASE, VOICE_INPUT_SCRIPT } from '../layout.js';
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../page-table.js';

const MOD = `${BASE}/moderation`;
const MENTOR = `${BASE}/mentorat`;
const POST = /^[a-z0-9][a-z0-9-]{1,39}:post:[0-9a-z]{6,40}$/;
const QUESTION = /^[a-z0-9][a-z0-9-]{1,39}:question:[0-9a-z]{6,40}$/;
const KIND_FR: Record<string, string> = {
  premoderation: 'premier message d’un membre',
  flags: 'signalé par des membres',
  'hub-hide': 'masqué par l’animateur·rice de l’espace',
};
const ACTION_FR: Record<string, string> = {
  approve: 'publié',
  reject: 'refusé',
  hide: 'masqué',
  restore: 'rétabli',
  suspend: 'code suspendu',
  unsuspend: 'code rétabli',
  'auto-publish': 'publié (règles)',
  'auto-hide': 'masqué (signalements)',
  answer: 'réponse',
  session: 'séance',
};

const idFrom = (c: ConsoleContext, shape: RegExp): string => {
  const id = String(c.req.params.id ?? '');
  if (!shape.test(id)) throw new AppError(404, 'not-found', 'no such post or question');
  return id;
};
const field = (c: ConsoleContext, name: string): string => {
  return formText(c.req.body, name)?.trim() ?? '';
};
const reasonOf = (c: ConsoleContext): string => {
  const reason = field(c, 'reason');
  if (!reason) throw new AppError(422, 'reason-required', 'Donnez une raison : l’auteur·rice et les espaces la voient.');
  if (reason.length > 300) throw new AppError(422, 'reason-too-long', 'La raison tient en 300 caractères au plus.');
  return reason;
};

/** The recording of a post or a question, as the moderators and mentors hear it. */
async function sendVoice(c: ConsoleContext, found: { voice?: { data: Buffer; mime: string } } | null): Promise<void> {
  if (!found?.voice) throw new AppError(404, 'not-found', 'no recording');
  c.res.type(found.voice.mime).set('Content-Security-Policy', "sandbox; default-src 'none'").send(found.voice.data);
}

function reasonForm(c: ConsoleContext, action: string, label: string, id: string): Value {
  return html`<form method="post" action="${action}">${csrfField(c.session!)}<label for="r-${label}-${id}">Raison</label> <input id="r-${label}-${id}" name="reason" required maxlength="300"> <button type="submit" class="secondary">${label}</button></form>`;
}

/**
 * The moderators' queue at central (issue 14): members' first posts, posts hidden by flags or
 * by a space, each with its recording to hear; publish, refuse or hide with a reason, restore,
 * suspend a member code. The rules run first (as `espace central community process`).
 */
export const moderationPage: ConsolePage = {
  nav: { href: MOD, label: 'Modération', order: 50 },
  routes: [
    {
      method: 'GET',
      path: MOD,
      roles: ['moderator'],
      async handle(c) {
        const ran = await processCommunity(c.central);
        const [queue, log] = await Promise.all([moderationQueue(c.central), moderationLog(c.central, 30)]);
        const s = c.session!;
        const body = html`<p class="meta">Règles appliquées à l’ouverture : ${ran.seen} nouveau(x) document(s), ${ran.published} publié(s), ${ran.queued} mis en attente, ${ran.hidden} masqué(s).</p>
${queue.length ? html`<p>${queue.length} message(s) attendent une décision, les plus anciens d’abord.</p>` : html`<p>Rien n’attend de décision.</p>`}
${queue.map((q) => {
  const enc = encodeURIComponent(q.post);
  return html`<article class="card" id="${q.post}"><h2>${q.author.name} <small>${q.hub} · ${q.topic} · ${KIND_FR[q.kind] ?? q.kind}${q.flags ? ` · ${q.flags} signalement(s)` : ''}</small></h2>
<p lang="${q.lang}">${q.excerpt}</p>${q.note ? html`<p class="meta">${q.note}</p>` : ''}
${q.hasVoice ? html`<p><audio controls preload="none" src="${MOD}/${enc}/voix"></audio></p>` : ''}
<p class="meta">Écrit le ${when(q.createdAt)}</p>
${q.kind === 'premoderation' ? html`<form method="post" action="${MOD}/${enc}/publier" class="inline">${csrfField(s)}<button type="submit">Publier pour tous les espaces</button></form>${reasonForm(c, `${MOD}/${enc}/refuser`, 'Refuser', q.post)}` : html`<form method="post" action="${MOD}/${enc}/retablir">${csrfField(s)}<label for="rr-${q.post}">Raison</label> <input id="rr-${q.post}" name="reason" required maxlength="300"> <button type="submit">Rétablir</button></form>${reasonForm(c, `${MOD}/${enc}/masquer`, 'Garder masqué', q.post)}`}
${reasonForm(c, `${MOD}/${enc}/suspendre`, 'Suspendre le code du membre', q.post)}</article>`;
})}
<h2>Journal</h2><ul>${log.map((a) => html`<li>${when(a.at)} · ${a.by} · ${ACTION_FR[a.action] ?? a.action} · <code>${a.target}</code>${a.reason ? ` · ${a.reason}` : ''}</li>`)}</ul>`;
        return { page: c.page('Modération de la communauté', body) };
      },
    },
    {
      method: 'GET',
      path: `${MOD}/:id/voix`,
      roles: ['moderator'],
      example: { id: 'kayes-01:post:0mhz3k0x1000' },
      handle: async (c) => sendVoice(c, await postWithVoice(c.central, idFrom(c, POST))),
    },
    ...(
      [
        ['publier', 'post.approve', async (c: ConsoleContext, id: string) => approvePost(c.central, id, c.session!.username), 'Publié pour tous les espaces.'],
        [
          'refuser',
          'post.reject',
          async (c: ConsoleContext, id: string) => setPostStatus(c.central, id, 'reject', reasonOf(c), c.session!.username),
          'Refusé : son auteur·rice voit la raison.',
        ],
        [
          'masquer',
          'post.hide',
          async (c: ConsoleContext, id: string) => setPostStatus(c.central, id, 'hide', reasonOf(c), c.session!.username),
          'Masqué partout.',
        ],
        [
          'retablir',
          'post.restore',
          async (c: ConsoleContext, id: string) => setPostStatus(c.central, id, 'restore', reasonOf(c), c.session!.username),
          'Rétabli partout.',
        ],
        [
          'suspendre',
          'member.suspend',
          async (c: ConsoleContext, id: string) => {
            const reason = reasonOf(c);
            const found = await postWithVoice(c.central, id);
            if (!found) throw new AppError(404, 'post-not-found', 'Ce message n’est pas (encore) à central.');
            await setMemberSuspended(c.central, found.doc.author.hub, found.doc.author.code, true, reason, c.session!.username);
          },
          'Code suspendu : il arrive à son espace avec la prochaine synchronisation.',
        ],
      ] as const
    ).map(
      ([verb, action, run, done]) =>
        ({
          method: 'POST',
          path: `${MOD}/:id/${verb}`,
          roles: ['moderator'],
          action,
          example: { id: 'kayes-01:post:0mhz3k0x1000' },
          async handle(c: ConsoleContext): Promise<ConsoleResult> {
            const id = idFrom(c, POST);
            await run(c, id);
            return { redirect: MOD, flash: done, audit: { target: id } };
          },
        }) as const
    ),
  ],
};

/**
 * A recording for an answer: a file from the phone, or the browser's recorder filling the same
 * input (the console is served over HTTPS, where the page may use the microphone).
 */
function voiceField(id: string): Value {
  return html`<div class="voicein" data-voice-input data-max-seconds="${VOICE_MAX_SECONDS - 10}" data-recording="Enregistrement… Appuyez sur Arrêter à la fin." data-recorded="Enregistré ({s} s) : écoutez-le, puis envoyez la réponse." data-nomic="Le micro n’est pas disponible : choisissez un fichier.">
<label for="${id}">ou un enregistrement</label><input id="${id}" name="file" type="file" accept="audio/*" capture>
<div class="recorder" data-recorder-box hidden><button type="button" data-rec>● Enregistrer</button> <button type="button" data-stop hidden>■ Arrêter</button> <audio controls data-preview hidden></audio></div>
<p class="recstate" role="status" aria-live="polite"></p></div>`;
}

/** The hub's own check (a known audio container with sound in it, size and length), said in French. */
async function checkedVoice(data: Buffer): Promise<{ data: Buffer; mime: string }> {
  try {
    return { data, mime: (await checkVoice(data)).mime };
  } catch (e) {
    if (!isAppError(e)) throw e;
    const why: Record<string, string> = {
      'voice-empty': 'L’enregistrement est vide.',
      'voice-too-large': 'L’enregistrement est trop lourd : faites une réponse plus courte.',
      'voice-too-long': `L’enregistrement est trop long : ${VOICE_MAX_SECONDS / 60} minutes au plus.`,
    };
    throw new AppError(422, e.reason, why[e.reason] ?? 'Ce fichier n’est pas un enregistrement sonore (webm, ogg, m4a, 3gp, amr, mp3 ou wav).');
  }
}

/**
 * The mentors' questions at central (issue 14): from every space, unanswered first, each with
 * its recording; an answer by text and/or a recording (a file from the phone or the browser's
 * recorder), which reaches the asker's space with the next pull.
 */
export const mentoringPage: ConsolePage = {
  nav: { href: MENTOR, label: 'Mentorat', order: 55 },
  routes: [
    {
      method: 'GET',
      path: MENTOR,
      roles: ['mentor'],
      async handle(c) {
        await processCommunity(c.central);
        const questions = await mentorQueue(c.central);
        const s = c.session!;
        const body = questions.length
          ? html`${questions.map((q) => {
              const enc = encodeURIComponent(q.question);
              return html`<article class="card" id="${q.question}"><h2>${q.author.name} <small>${q.hub} · ${q.visibility === 'private' ? 'privée' : 'publique'}${q.answeredAt ? ` · répondue le ${when(q.answeredAt)}` : ' · sans réponse'}${q.resolvedAt ? ' · résolue' : ''}</small></h2>
${q.text ? html`<p lang="${q.lang}">${q.text}</p>` : ''}${q.hasVoice ? html`<p><audio controls preload="none" src="${MENTOR}/${enc}/voix"></audio></p>` : ''}
<form method="post" action="${MENTOR}/${enc}/repondre" enctype="multipart/form-data">${csrfField(s)}
<label for="t-${q.question}">Votre réponse</label><textarea id="t-${q.question}" name="text" rows="3" maxlength="4000"></textarea>
${voiceField(`v-${q.question}`)}
<label for="l-${q.question}">Langue</label><select id="l-${q.question}" name="lang"><option value="fr">français</option><option value="bm">bambara</option><option value="snk">soninké</option></select>
<button type="submit">Répondre</button></form></article>`;
            })}`
          : html`<p>Aucune question pour l’instant.</p>`;
        return { page: c.page('Questions aux mentors', body, { scripts: [VOICE_INPUT_SCRIPT] }) };
      },
    },
    {
      method: 'GET',
      path: `${MENTOR}/:id/voix`,
      roles: ['mentor'],
      example: { id: 'kayes-01:question:0mhz3k0x1000' },
      handle: async (c) => sendVoice(c, await questionWithVoice(c.central, idFrom(c, QUESTION))),
    },
    {
      method: 'POST',
      path: `${MENTOR}/:id/repondre`,
      roles: ['mentor'],
      body: 'multipart',
      action: 'question.answer',
      example: { id: 'kayes-01:question:0mhz3k0x1000' },
      async handle(c): Promise<ConsoleResult> {
        const id = idFrom(c, QUESTION);
        const text = field(c, 'text');
        const lang = ['fr', 'bm', 'snk'].includes(field(c, 'lang')) ? field(c, 'lang') : 'fr';
        const file = c.req.file;
        const voice = file && file.size > 0 ? await checkedVoice(readFileSync(file.path)) : undefined;
        if (!text && !voice) throw new AppError(422, 'answer-empty', 'Écrivez une réponse ou joignez un enregistrement.');
        try {
          await answerQuestion(c.central, id, { ...(text ? { text } : {}), ...(voice ? { voice } : {}), lang }, c.session!.username);
        } catch (e) {
          if (isAppError(e) && e.status < 500 && e.status !== 404)
            throw new AppError(422, 'answer-refused', `Cette réponse n’a pas été enregistrée : ${e.details}`);
          throw e;
        }
        return { redirect: MENTOR, flash: 'Réponse envoyée : elle arrive à l’espace avec la prochaine synchronisation.', audit: { target: id } };
      },
    },
  ],
};
