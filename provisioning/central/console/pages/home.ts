import { html } from '../../../../hub/index.js';
import { BASE } from '../layout.js';
import type { ConsolePage } from '../page-table.js';
import { EVERYONE } from '../roles.js';

/** The home page: what this person can do here, one tile per page of the menu. */
export const homePage: ConsolePage = {
  nav: { href: BASE, label: 'Accueil', order: 0 },
  routes: [
    {
      method: 'GET',
      path: BASE,
      roles: EVERYONE,
      async handle(c) {
        const tiles = c.menu().filter((n) => n.href !== BASE);
        const body = html`<p>Bienvenue ${c.session!.username}. La console de central sert l’équipe du programme à Bamako : publier les contenus, suivre les hubs, lire les chiffres de tous les espaces.</p>
${tiles.length ? html`<ul class="tiles">${tiles.map((t) => html`<li><a href="${t.href}"><strong>${t.label}</strong></a></li>`)}</ul>` : html`<p>Aucune page n’est encore ouverte à votre rôle.</p>`}`;
        return { page: c.page('Console de central', body) };
      },
    },
  ],
};
