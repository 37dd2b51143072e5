import { readFile } from 'node:fs/promises';
import type { Request, Response } from 'express';
import { isAppError, LANGUAGES, type Language } from '../../../content/index.js';
import { sessionOf, type Session } from '../../auth/index.js';
import { pageOf } from '../../portal/index.js';
import { processTake, type CoverageFigures, type Studio, type StudioItem } from '../../studio/index.js';
import { field, query } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page, select } from '../layout.js';
import { STUDIO, type AdminRoute, type AdminServices } from '../route-table.js';

export const LANGUAGE_LABELS: Record<Language, string> = { bm: 'bambara', snk: 'soninké', fr: 'français (voix d’une personne)' };

const KIND_LABELS: Record<string, string> = {
  message: 'message de l’interface',
  'course-title': 'titre de cours',
  'course-summary': 'résumé de cours',
  'lesson-title': 'titre de leçon',
  'lesson-block': 'paragraphe de leçon',
  'quiz-title': 'titre de quiz',
  'quiz-question': 'question de quiz',
  'quiz-option': 'réponse de quiz',
  'consultation-question': 'question de consultation',
  'consultation-option': 'choix de consultation',
  'announcement-title': 'titre d’annonce',
  'announcement-body': 'texte d’annonce',
  'event-title': 'titre d’événement',
  'official-presentation': 'présentation d’un·e élu·e',
  'organisation-presentation': 'présentation d’une organisation',
};

/** The letters of Bambara that a French keyboard lacks, one tap away. */
const LETTERS = ['ɛ', 'ɔ', 'ɲ', 'ŋ', 'Ɛ', 'Ɔ', 'Ɲ', 'Ŋ'];

const NEEDS = [
  ['voice', 'sans voix'],
  ['text', 'sans traduction'],
  ['all', 'tout'],
] as const;

function langOf(req: Request, from: 'query' | 'body' = 'query'): Language {
  const v = from === 'query' ? query(req, 'lang') : field(req, 'lang');
  return (LANGUAGES as readonly string[]).includes(v) ? (v as Language) : 'bm';
}

function itemHref(i: { target: string; field: string }, lang: Language): string {
  return `/admin/studio/item?${new URLSearchParams({ target: i.target, field: i.field, lang })}`;
}

export function coverageTable(figures: readonly CoverageFigures[]): SafeHtml {
  return html`<table class="coverage"><caption>Couverture par langue (textes traduits, voix de personnes)</caption>
<thead><tr><th scope="col">Langue</th><th scope="col">Interface : texte</th><th scope="col">Interface : voix</th><th scope="col">Contenu : texte</th><th scope="col">Contenu : voix</th></tr></thead>
<tbody>${figures.map(
    (f) =>
      html`<tr><th scope="row">${LANGUAGE_LABELS[f.lang]}</th><td>${f.interface.textPct} % (${f.interface.texts}/${f.interface.total})</td><td>${f.interface.voicePct} % (${f.interface.voices}/${f.interface.total})</td><td>${f.content.textPct} % (${f.content.texts}/${f.content.total})</td><td>${f.content.voicePct} % (${f.content.voices}/${f.content.total})</td></tr>`
  )}</tbody></table>`;
}

function frenchPlayer(studio: Studio, item: StudioItem): SafeHtml {
  const fr = studio.items.frenchAudio(item);
  if (!fr) return html`<span class="muted">pas de voix française</span>`;
  return html`<span class="voice"><audio controls preload="none" src="${fr.url}" aria-label="Écouter le français"></audio> <small>${fr.person ? 'voix d’une personne' : 'voix de synthèse'}</small></span>`;
}

async function itemPage(s: AdminServices, req: Request, res: Response, state: { error?: string; text?: string; status?: number } = {}) {
  const session = sessionOf(res)!;
  const studio = s.deps.studio;
  const lang = langOf(req, req.method === 'POST' ? 'body' : 'query');
  const target = req.method === 'POST' ? field(req, 'target') : query(req, 'target');
  const path = req.method === 'POST' ? field(req, 'field') : query(req, 'field');
  const item = await studio.item(target, path);
  const st = studio.items.state(item, lang);
  const pending = await studio.pending(item.target, item.field, lang);
  const own = item.audio?.[lang];
  const typed = state.text ?? item.text[lang] ?? '';
  const body = html`<p><a href="/admin/studio?lang=${lang}">← La file du studio (${LANGUAGE_LABELS[lang]})</a></p>
${state.error ? html`<p class="error" role="alert" id="erreur">${state.error}</p>` : ''}
<section class="card"><h2>En français <small>(${KIND_LABELS[item.kind] ?? item.kind})</small></h2>
<blockquote lang="fr">${item.text.fr}</blockquote>
<p>${frenchPlayer(studio, item)}</p>
<p class="muted">${item.target} · ${item.field}</p></section>
${pending.length ? html`<section class="card"><h2>Déjà envoyé à Bamako</h2><ul>${pending.map((p) => html`<li>${p.createdAt.slice(0, 16).replace('T', ' ')} — ${p.contributor} : ${p.text ? html`« ${p.text} »` : ''}${p.seconds ? ` prise de ${p.seconds} s` : ''} — ${p.verdict ? html`<strong class="${p.verdict.decision}">${p.verdict.decision === 'retake' ? 'à refaire' : 'refusée'} : ${p.verdict.reason}</strong>` : 'en attente de relecture'}</li>`)}</ul></section>` : ''}
${
  lang === 'fr'
    ? ''
    : html`<section class="card"><h2>Traduction en ${LANGUAGE_LABELS[lang]} ${st.text ? html`<small>(existe : vous pouvez la corriger)</small>` : html`<small>(manque)</small>`}</h2>
<form method="post" action="/admin/studio/text" class="stack">${csrfField(session)}
<input type="hidden" name="target" value="${item.target}"><input type="hidden" name="field" value="${item.field}"><input type="hidden" name="lang" value="${lang}">
<label for="text">Texte en ${LANGUAGE_LABELS[lang]}</label>
<div class="letters" data-letters="text" role="group" aria-label="Lettres du bambara">${LETTERS.map((l) => html`<button type="button" class="letter" data-insert="${l}" aria-label="Écrire ${l}">${l}</button>`)}</div>
<textarea id="text" name="text" rows="${item.text.fr.length > 200 ? 8 : 3}" lang="${lang}" maxlength="20000" required>${typed}</textarea>
${consentFields(session, 'text')}
<button type="submit">Envoyer la traduction</button>
</form></section>`
}
<section class="card"><h2>Voix en ${LANGUAGE_LABELS[lang]} ${st.voice ? html`<small>(existe : vous pouvez la refaire)</small>` : html`<small>(manque)</small>`}</h2>
${st.voice && own ? html`<p><audio controls preload="none" src="/media/${own}" aria-label="Écouter la voix actuelle"></audio></p>` : ''}
<form method="post" action="/admin/studio/voice" enctype="multipart/form-data" class="stack" data-recorder>
${csrfField(session)}
<input type="hidden" name="target" value="${item.target}"><input type="hidden" name="field" value="${item.field}"><input type="hidden" name="lang" value="${lang}">
<div class="recorder" data-recorder-ui hidden>
  <button type="button" data-rec>● Enregistrer</button>
  <button type="button" data-stop hidden>■ Arrêter</button>
  <audio controls data-preview hidden aria-label="Réécouter la prise"></audio>
  <p class="recstate" role="status" aria-live="polite" data-state></p>
</div>
<label for="take">Ou choisir un fichier son (téléphone : « enregistrer » ouvre le dictaphone)</label>
<input id="take" name="file" type="file" accept="audio/*" capture>
${consentFields(session, 'voice')}
<button type="submit" data-send>Envoyer la prise</button>
<p class="muted">Le hub coupe les silences au début et à la fin, égalise le volume et garde la prise en Opus (16 kbit/s). ${120} secondes au plus.</p>
</form></section>`;
  return {
    page: page({
      title: `Studio : ${KIND_LABELS[item.kind] ?? item.kind}`,
      session,
      spaceName: s.deps.config.spaceName,
      body,
      scripts: ['/admin/static/studio.js'],
    }),
    status: state.status,
  };
}

function consentFields(session: Session, kind: 'text' | 'voice'): SafeHtml {
  return html`<fieldset><legend>Accord</legend>
<label class="check"><input type="checkbox" name="consent" value="oui" required> La personne ${kind === 'voice' ? 'dont c’est la voix ' : ''}accepte que ${kind === 'voice' ? 'sa voix soit diffusée' : 'ce texte soit diffusé'} dans tous les espaces.</label>
<label for="credit-${kind}">Nom à remercier (laisser vide pour rester anonyme)</label>
<input id="credit-${kind}" name="credit" maxlength="80" autocomplete="off" value="">
<input type="hidden" name="contributor" value="${session.username}">
</fieldset>`;
}

function contributionFields(req: Request, session: Session) {
  const credit = field(req, 'credit').trim();
  return {
    target: field(req, 'target'),
    field: field(req, 'field'),
    lang: langOf(req, 'body'),
    contributor: session.username,
    ...(credit ? { credit } : {}),
    ...(field(req, 'consent') === 'oui' ? { consent: true } : {}),
  };
}

export const studioRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/studio',
    roles: STUDIO,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const studio = s.deps.studio;
      const lang = langOf(req);
      const need = (NEEDS.map((n) => n[0]) as string[]).includes(query(req, 'need')) ? query(req, 'need') : 'voice';
      const [all, figures, sentBack] = await Promise.all([studio.queue(), studio.coverage(), studio.sentBack()]);
      const wanted = all.filter((i) => {
        const st = studio.items.state(i, lang);
        return need === 'all' || (need === 'voice' ? !st.voice : lang !== 'fr' && !st.text);
      });
      const slice = pageOf(req.query, wanted.length);
      const shown = wanted.slice(slice.start, slice.end);
      const link = (p: number) => `/admin/studio?${new URLSearchParams({ lang, need, ...(p > 1 ? { page: String(p) } : {}) })}`;
      const body = html`<p>Ce qui manque en premier : ce que les visiteurs rencontrent le plus souvent (selon les visites de ce hub). Chaque prise et chaque traduction part à Bamako pour relecture ; acceptée, elle arrive dans tous les espaces.</p>
${sentBack.length ? html`<section class="card" id="retours"><h2>Retours de Bamako</h2><ul>${sentBack.map((b) => html`<li><strong>${b.verdict.decision === 'retake' ? 'À refaire' : 'Refusée'}</strong> (${LANGUAGE_LABELS[b.lang]}) : ${b.verdict.reason} — <a href="/admin/studio/item?${new URLSearchParams({ target: b.target, field: b.field, lang: b.lang }).toString()}">${b.verdict.decision === 'retake' ? 'enregistrer à nouveau' : 'voir l’élément'}</a></li>`)}</ul></section>` : ''}
${coverageTable(figures)}
<form method="get" action="/admin/studio" class="filters">
<label for="lang">Langue</label>${select(
        'lang',
        LANGUAGES.map((l) => [l, LANGUAGE_LABELS[l]] as const),
        lang,
        { id: 'lang' }
      )}
<label for="need">Montrer</label>${select('need', NEEDS, need, { id: 'need' })}
<button type="submit">Afficher</button></form>
<p role="status">${wanted.length} élément(s) ${need === 'voice' ? 'sans voix' : need === 'text' ? 'sans traduction' : ''} en ${LANGUAGE_LABELS[lang]}.</p>
<ol class="queue" start="${slice.start + 1}">${shown.map((i) => {
        const st = studio.items.state(i, lang);
        return html`<li class="card"><p><small>${KIND_LABELS[i.kind] ?? i.kind}</small></p><p lang="fr">${i.text.fr.length > 240 ? `${i.text.fr.slice(0, 240)}…` : i.text.fr}</p>
<p>${frenchPlayer(studio, i)}</p>
<p>${lang === 'fr' ? '' : html`<span class="${st.text ? 'ok' : 'miss'}">${st.text ? '✓ traduit' : '✗ pas traduit'}</span> · `}<span class="${st.voice ? 'ok' : 'miss'}">${st.voice ? '✓ voix' : '✗ pas de voix'}</span>
 · <a href="${itemHref(i, lang)}">Traduire ou enregistrer</a></p></li>`;
      })}</ol>
${slice.pages > 1 ? html`<nav class="pager" aria-label="Pages">${slice.page > 1 ? html`<a href="${link(slice.page - 1)}">← Précédents</a>` : ''} Page ${slice.page} sur ${slice.pages} ${slice.page < slice.pages ? html`<a href="${link(slice.page + 1)}">Suivants →</a>` : ''}</nav>` : ''}`;
      return { page: page({ title: 'Studio des langues', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/studio/item',
    roles: STUDIO,
    example: { target: 'message:nav.home', field: 'text', lang: 'bm' },
    async handle(s, req, res) {
      return itemPage(s, req, res);
    },
  },
  {
    method: 'POST',
    path: '/admin/studio/text',
    roles: STUDIO,
    action: 'studio.text',
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const input = { ...contributionFields(req, session), text: field(req, 'text').trim() || undefined };
      await s.deps.studio.item(input.target, input.field);
      if (input.consent !== true) return itemPage(s, req, res, { error: 'Cochez l’accord : sans lui, rien n’est envoyé.', text: input.text, status: 422 });
      if (!input.text) return itemPage(s, req, res, { error: 'Écrivez la traduction avant de l’envoyer.', status: 422 });
      try {
        const { id } = await s.deps.submissions.contribute(input, undefined, { hubId: s.deps.config.hubId });
        return {
          redirect: itemHref(input, input.lang),
          flash: 'Traduction envoyée pour relecture à Bamako. Merci !',
          audit: { target: id, detail: `${input.target} ${input.field} ${input.lang}` },
        };
      } catch (e) {
        if (isAppError(e) && e.status === 422) return itemPage(s, req, res, { error: `Traduction refusée : ${e.details}`, text: input.text, status: 422 });
        throw e;
      }
    },
  },
  {
    method: 'POST',
    path: '/admin/studio/voice',
    roles: STUDIO,
    body: 'multipart',
    action: 'studio.voice',
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const input = contributionFields(req, session);
      await s.deps.studio.item(input.target, input.field);
      if (input.consent !== true)
        return itemPage(s, req, res, { error: 'Cochez l’accord de la personne enregistrée : sans lui, rien n’est envoyé.', status: 422 });
      if (!req.file) return itemPage(s, req, res, { error: 'Aucune prise : enregistrez, ou choisissez un fichier son.', status: 422 });
      try {
        const take = await processTake(await readFile(req.file.path));
        const { id } = await s.deps.submissions.contribute(input, take, { hubId: s.deps.config.hubId });
        return {
          redirect: itemHref(input, input.lang),
          flash: `Prise de ${take.seconds} s envoyée pour relecture à Bamako. Merci !`,
          audit: { target: id, detail: `${input.target} ${input.field} ${input.lang} ${take.seconds}s` },
        };
      } catch (e) {
        if (!isAppError(e) || e.status >= 500) throw e;
        return itemPage(s, req, res, { error: `Prise refusée : ${e.details}`, status: e.status });
      }
    },
  },
];
