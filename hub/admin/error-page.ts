import type { Request, Response } from 'express';
import type { AppError } from '../../content/index.js';
import { sessionOf } from '../auth/index.js';
import { html } from './html.js';
import { page } from './layout.js';

/**
 * The console's refusals in French. Routes raise AppErrors whose details speak English to the
 * API and the CLI; a facilitator reads these sentences instead, on a page of the console.
 */
const FRENCH: Record<string, string> = {
  'erase-not-confirmed': 'Cochez la case qui confirme que la personne a demandé l’effacement, puis recommencez. Rien n’a été effacé.',
  'forbidden-role': 'Cette page est réservée à un autre rôle : votre compte n’y a pas accès. Demandez au technicien.',
  'member-not-found': 'Ce membre n’est pas (ou plus) sur ce hub : ses données ont été effacées, ou il n’a jamais été inscrit ici.',
  'attendance-not-found': 'Cette présence n’est pas (ou plus) enregistrée pour cet événement : rechargez la page.',
  'event-not-found': 'Cet événement n’est pas sur ce hub.',
  'event-read-only': 'Cet événement a été publié par Bamako : modifiez-le là-bas, pas sur le hub.',
  'message-not-found': 'Ce message n’est pas (ou plus) sur ce hub.',
  'login-required': 'Connectez-vous d’abord.',
  'csrf-token-missing': 'Ce formulaire n’a pas de jeton de sécurité : rechargez la page et recommencez.',
  'csrf-token-invalid': 'Ce formulaire vient d’une ancienne page : rechargez la page et recommencez.',
  'no-file': 'Choisissez d’abord le fichier du paquet à installer.',
  'upload-too-large': 'Ce fichier est trop volumineux pour la console : apportez-le par clé USB (« espace content import »).',
  'body-too-large': 'Ce que vous envoyez est trop volumineux.',
  'sync-not-configured': 'Ce hub n’est relié à aucun serveur central : inscrivez-le d’abord (« espace central enroll »).',
  'cannot-remove-self': 'Vous ne pouvez pas supprimer le compte avec lequel vous êtes connecté·e : demandez à un autre technicien.',
  'disk-full': 'Le hub n’a plus de place sur sa carte : rien n’a été enregistré. Prévenez le technicien.',
  'not-found': 'Cette page n’existe pas dans la console.',
};

/** By status, for the refusals without a sentence of their own. */
function byStatus(e: AppError): string {
  // A pack refused on import (altered, unsigned, untrusted key, broken): nothing was installed.
  if (e.reason.startsWith('pack-'))
    return 'Ce paquet de contenus a été refusé : il a été modifié, abîmé, ou n’est pas signé par une clé de confiance. Rien n’a été installé.';
  if (e.status === 400 || e.status === 422)
    return 'Ce que vous avez envoyé n’a pas été accepté : vérifiez le formulaire et recommencez. Rien n’a été enregistré.';
  if (e.status === 401) return 'Connectez-vous d’abord.';
  if (e.status === 403) return 'Cette action ne vous est pas permise.';
  if (e.status === 404) return 'Ce que vous cherchez n’est pas (ou plus) sur ce hub.';
  if (e.status === 409) return 'Cette action entre en conflit avec une autre faite entre-temps : rechargez la page et recommencez.';
  if (e.status === 413) return 'Ce que vous envoyez est trop volumineux.';
  if (e.status === 429) return 'Trop de demandes en peu de temps : attendez une minute et recommencez.';
  return 'Une erreur est survenue sur le hub ; réessayez, et prévenez le technicien si elle revient.';
}

export function frenchMessage(e: AppError): string {
  return FRENCH[e.reason] ?? byStatus(e);
}

/**
 * The console's error page (the hub's one error handler asks for it): every /admin address is
 * a page or a form of a browser, so a refusal is shown in French in the console's frame,
 * never as the API's JSON. Other addresses: undefined.
 */
export function consoleErrorPage(spaceName: string): (req: Request, res: Response, e: AppError) => string | undefined {
  return function consoleErrorPage(req, res, e) {
    if (req.path !== '/admin' && !req.path.startsWith('/admin/')) return undefined;
    return page({
      title: e.status === 404 ? 'Introuvable' : e.status >= 500 ? 'Erreur du hub' : 'Action refusée',
      session: sessionOf(res) ?? null,
      spaceName,
      // The reason stays readable by a program (tests, a technician's curl), never shown as JSON.
      body: html`<p class="error" role="alert" data-reason="${e.reason}">${frenchMessage(e)}</p>
<p><a href="/admin">Retour à l’accueil de la console</a></p>`,
    }).value;
  };
}
