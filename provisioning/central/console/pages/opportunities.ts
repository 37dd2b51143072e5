import { AppError, contentOf, isAppError, parseContentDoc, tradeName, type ContentOf, type Opportunity } from '../../../../content/index.js';
import {
  breakdownTable,
  countInterest,
  csrfField,
  html,
  OPPORTUNITY_KIND_LABEL,
  opportunityDraft,
  opportunityFields,
  slugFrom,
  type InterestCount,
  type SafeHtml,
  type TypedForm,
  type Value,
  formFields,
} from '../../../../hub/index.js';
import { BASE } from '../layout.js';
import { readAllAs } from '../reader.js';
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../page-table.js';

const PATH = `${BASE}/opportunites`;

async function communes(c: ConsoleContext): Promise<{ slug: string; name: string }[]> {
  const docs = await readAllAs(c.central, 'content', 'commune:');
  return docs
    .filter((d) => d.kind === 'commune-urbaine' || d.kind === 'commune-rurale')
    .map((d) => ({ slug: String(d._id).slice('commune:'.length), name: String(d.name) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

const mayPublish = (c: ConsoleContext) => c.session!.roles.includes('admin') || c.session!.roles.includes('editor');

function publishForm(c: ConsoleContext, places: { slug: string; name: string }[], error?: string, typed: TypedForm = {}): Value {
  return html`<form method="post" action="${PATH}" class="card stack" id="publier">${csrfField(c.session!)}
<h2>Publier une opportunité pour les espaces</h2>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<p class="meta">Elle part vers les espaces des communes cochées (toutes si aucune) à leur prochaine synchronisation ; les membres qui ont accepté les SMS et dont le métier et la commune correspondent en reçoivent l’avis.</p>
${opportunityFields(places, typed, { publisher: true })}
<button type="submit">Publier</button></form>`;
}

function row(o: ContentOf<'opportunity'>, count: InterestCount | undefined): Value {
  const hubs = count ? [...count.byHub].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) : [];
  return html`<tr><td>${o.title.fr} <small>${OPPORTUNITY_KIND_LABEL[o.kind]}</small></td><td>${(o.trades ?? []).length ? (o.trades ?? []).map((t) => tradeName(t)).join(', ') : 'tous'}</td><td>${o.deadline ?? '—'}</td><td>${o.publisher}</td><td>${count?.breakdown.total ?? 0}</td><td>${hubs.length ? hubs.map(([h, n]) => `${h} : ${n}`).join(' · ') : '—'}</td></tr>`;
}

async function listPage(c: ConsoleContext, form: Value): Promise<{ page: SafeHtml }> {
  const [docs, interest] = await Promise.all([readAllAs(c.central, 'content', 'opportunity:'), readAllAs(c.central, 'opportunities')]);
  const list = docs.flatMap((d) => contentOf(d, 'opportunity') ?? []).sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  const counts = countInterest(interest);
  const body = html`<p>Les opportunités pour les artisans (formations, foires, appels d’offres, équipement, emplois, rencontres), publiées ici ou par les espaces eux-mêmes, et les membres qui se disent « intéressé·es » dans chaque espace : un membre compté une fois par opportunité, par sexe et tranche d’âge, sans nom.</p>
${
  list.length === 0
    ? html`<p>Aucune opportunité publiée.</p>`
    : html`<table><thead><tr><th scope="col">Opportunité</th><th scope="col">Métiers</th><th scope="col">Avant le</th><th scope="col">Publiée par</th><th scope="col">Intéressé·es</th><th scope="col">Par espace</th></tr></thead>
<tbody>${list.map((o) => row(o, counts.get(o._id)))}</tbody></table>`
}
${breakdownTable(
  'Intéressé·es par opportunité, par sexe et tranche d’âge (tous les espaces)',
  list.filter((o) => counts.has(o._id)).map((o) => ({ label: o.title.fr, breakdown: counts.get(o._id)!.breakdown })),
  'Opportunité'
)}
${form}`;
  return { page: c.page('Opportunités des artisans', body) };
}

/**
 * The federation's opportunities from central's console (issue 16): editors publish one for
 * the spaces (trades, communes, dates, who may apply, how to respond), written with their own
 * CouchDB session so validate_doc_update decides; editors and analysts see every space's
 * "intéressé(e)", which central's replicator copies from `submissions` into `opportunities`.
 */
export const opportunitiesPage: ConsolePage = {
  nav: { href: PATH, label: 'Opportunités', order: 7 },
  routes: [
    {
      method: 'GET',
      path: PATH,
      roles: ['editor', 'analyst'],
      async handle(c) {
        return listPage(c, mayPublish(c) ? publishForm(c, await communes(c)) : '');
      },
    },
    {
      method: 'POST',
      path: PATH,
      roles: ['editor'],
      action: 'opportunity.publish',
      async handle(c): Promise<ConsoleResult> {
        const body = formFields(c.req.body);
        const title = typeof body.title === 'string' ? body.title : '';
        const chosen = ([] as string[]).concat(body.communes ?? []);
        const draft = opportunityDraft(body, {
          id: `opportunity:${slugFrom(title, 60)}`,
          audience: chosen.length ? { communes: chosen } : { all: true },
          publisher: typeof body.publisher === 'string' ? body.publisher.trim() : '',
        });
        let doc: Opportunity;
        try {
          doc = parseContentDoc(draft, 'opportunity') as Opportunity;
        } catch (e) {
          if (!isAppError(e) || e.status !== 422) throw e;
          return { ...(await listPage(c, publishForm(c, await communes(c), `Vérifiez le formulaire : ${e.details}`, body))), status: 422 };
        }
        const res = await c.central<{ error?: string; reason?: string }>(`content/${encodeURIComponent(doc._id)}`, { method: 'PUT', body: doc });
        if (res.status === 403) throw new AppError(403, 'forbidden', `CouchDB a refusé : ${res.body.reason ?? 'vous n’avez pas le rôle d’éditeur'}.`);
        if (res.status !== 201 && res.status !== 202)
          throw new AppError(502, 'publish-failed', `Central n’a pas gardé l’opportunité (HTTP ${res.status}) : réessayez.`);
        return {
          redirect: PATH,
          flash: `Publiée : « ${doc.title.fr} ». Les espaces la reçoivent à leur prochaine synchronisation.`,
          audit: { target: doc._id },
        };
      },
    },
  ],
};
