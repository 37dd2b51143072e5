import { isAppError, OPPORTUNITY_KINDS, parseContentDoc, TRADE_SLUGS, TRADES, type Opportunity, type TradeSlug } from '../../../content/index.js';
import { sessionOf, type Session } from '../../auth/index.js';
import { MatchIndex, interestByOpportunity } from '../../opportunities/index.js';
import { emptyBreakdown } from '../../indicators/index.js';
import { breakdownTable } from '../breakdown-table.js';
import { field, slugFrom } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page, when } from '../layout.js';
import { STAFF, type AdminRoute, type AdminServices } from '../route-table.js';
import { digestFor } from '../../portal/index.js';

const KIND_LABEL: Record<string, string> = {
  formation: 'Formation', 'foire-marche': 'Foire ou marché', 'appel-offres': 'Appel d’offres', equipement: 'Équipement', 'emploi-apprentissage': 'Emploi ou apprentissage', reseautage: 'Rencontre professionnelle',
};

/** Values of a repeated form field (checkboxes). */
function fields(body: unknown, name: string): string[] {
  return ([] as unknown[]).concat((body as Record<string, unknown> | undefined)?.[name] ?? []).filter((v): v is string => typeof v === 'string');
}

async function communes(s: AdminServices): Promise<{ slug: string; name: string }[]> {
  const all = await digestFor(s.deps).of('commune');
  return [...all.byId.values()].filter((c) => c.kind === 'commune-urbaine' || c.kind === 'commune-rurale').map((c) => ({ slug: c.id.slice('commune:'.length), name: c.name })).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

function form(session: Session, places: { slug: string; name: string }[], error?: string, typed: Record<string, string | string[]> = {}): SafeHtml {
  const has = (name: string, v: string) => ([] as string[]).concat(typed[name] ?? []).includes(v);
  const val = (name: string) => String(typed[name] ?? '');
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/opportunities" class="stack">
  ${csrfField(session)}
  <h2>Publier une opportunité locale</h2>
  <label for="kind">Type</label><select id="kind" name="kind" required>${OPPORTUNITY_KINDS.map((k) => html`<option value="${k}" ${val('kind') === k ? html`selected` : ''}>${KIND_LABEL[k]}</option>`)}</select>
  <label for="title">Titre (français)</label><input id="title" name="title" required maxlength="120" value="${val('title')}">
  <label for="summary">En quelques mots</label><textarea id="summary" name="summary" rows="2" required maxlength="400">${val('summary')}</textarea>
  <fieldset><legend>Métiers (aucun coché : tous)</legend>${TRADE_SLUGS.map((t) => html`<label class="choice"><input type="checkbox" name="trades" value="${t}" ${has('trades', t) ? html`checked` : ''}> ${TRADES[t].fr}</label>`)}</fieldset>
  <fieldset><legend>Communes (aucune cochée : toutes)</legend>${places.map((c) => html`<label class="choice"><input type="checkbox" name="communes" value="${c.slug}" ${has('communes', c.slug) ? html`checked` : ''}> ${c.name}</label>`)}</fieldset>
  <fieldset><legend>Pour qui (aucun coché : tout le monde)</legend>
    <label class="choice"><input type="checkbox" name="for" value="femmes" ${has('for', 'femmes') ? html`checked` : ''}> les femmes</label>
    <label class="choice"><input type="checkbox" name="for" value="jeunes" ${has('for', 'jeunes') ? html`checked` : ''}> les jeunes (15–35 ans)</label>
  </fieldset>
  <label for="deadline">Répondre avant le (date)</label><input id="deadline" name="deadline" type="date" value="${val('deadline')}">
  <label for="howToRespond">Comment répondre</label><textarea id="howToRespond" name="howToRespond" rows="2" required maxlength="600">${val('howToRespond')}</textarea>
  <label for="place">Où (facultatif)</label><input id="place" name="place" maxlength="200" value="${val('place')}">
  <button type="submit">Publier sur cet espace</button>
</form>`;
}

export const opportunityRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/opportunities',
    roles: STAFF,
    async handle(s, _req, res) {
      const session = sessionOf(res)!;
      const list = ((await s.deps.catalog.list('opportunity', { limit: 500, skip: 0 })).items as Opportunity[]).map((o) => ({ ...o, trades: o.trades ?? [], communes: o.communes ?? [], for: o.for ?? [] }));
      list.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
      const interest = await interestByOpportunity(s.deps.dbs.submissions, s.deps.config.hubId);
      // Who the SMS notices would reach: members who consented, by their trades and commune.
      await s.deps.sms?.directory.current();
      const index = new MatchIndex(s.deps.sms?.directory.consenting() ?? []);
      const body = html`
<p>Les opportunités publiées par la fédération (depuis central) et celles de cet espace. « Intéressé·es » : compté sur cet espace, par sexe et âge ; « SMS » : membres qui ont accepté les SMS et dont le métier et la commune correspondent.</p>
${list.length === 0 ? html`<p>Aucune opportunité.</p>` : html`<table><thead><tr><th scope="col">Opportunité</th><th scope="col">Métiers</th><th scope="col">Avant le</th><th scope="col">Publiée par</th><th scope="col">Intéressé·es</th><th scope="col">dont femmes</th><th scope="col">SMS</th></tr></thead>
<tbody>${list.map((o) => {
        const b = interest.get(o._id) ?? emptyBreakdown();
        return html`<tr><td><a href="/admin/opportunities/${o._id.slice('opportunity:'.length)}">${o.title.fr}</a> <small>${KIND_LABEL[o.kind]}</small></td><td>${o.trades.length ? o.trades.map((t) => TRADES[t as TradeSlug].fr).join(', ') : 'tous'}</td><td>${o.deadline ?? '—'}</td><td>${o.publisher}</td><td>${b.total}</td><td>${b.bySex.F}</td><td>${index.match(o).length}</td></tr>`;
      })}</tbody></table>`}
${form(session, await communes(s))}`;
      return { page: page({ title: 'Opportunités', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/opportunities/:slug',
    roles: STAFF,
    example: { slug: 'formation-teinture-naturelle-kayes' },
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const o = await s.deps.catalog.get<Opportunity>(`opportunity:${String(req.params.slug)}`);
      const b = (await interestByOpportunity(s.deps.dbs.submissions, s.deps.config.hubId)).get(o._id) ?? emptyBreakdown();
      const body = html`<p class="meta">${KIND_LABEL[o.kind]} · publiée par ${o.publisher} le ${when(o.publishedAt)}${o.deadline ? ` · répondre avant le ${o.deadline}` : ''}</p>
<p>${o.summary.fr}</p>
${breakdownTable('Intéressé·es sur cet espace, par sexe et tranche d’âge', [{ label: 'Intéressé·es', breakdown: b }], 'Opportunité')}`;
      return { page: page({ title: o.title.fr, session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'POST',
    path: '/admin/opportunities',
    roles: STAFF,
    action: 'opportunity.create',
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const { hubId, spaceName } = s.deps.config;
      const title = field(req, 'title');
      const deadline = field(req, 'deadline');
      const place = field(req, 'place');
      const doc = {
        _id: `opportunity:${hubId}-${slugFrom(title, 60 - hubId.length)}`,
        type: 'opportunity',
        audience: { hubs: [hubId] },
        kind: field(req, 'kind'),
        title: { fr: title },
        summary: { fr: field(req, 'summary') },
        trades: fields(req.body, 'trades'),
        communes: fields(req.body, 'communes'),
        for: fields(req.body, 'for'),
        ...(deadline ? { deadline } : {}),
        howToRespond: { fr: field(req, 'howToRespond') },
        contact: place ? { place } : {},
        publisher: spaceName,
        publishedAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      };
      try {
        const checked = parseContentDoc(doc, 'opportunity');
        await s.deps.dbs.content.put(checked as unknown as PouchDB.Core.PutDocument<Record<string, unknown>>);
        // The members it matches hear of it by SMS (once each), in the next round of notices.
        void s.deps.sms?.plan().then(() => s.deps.sms?.kick());
        return { redirect: '/admin/opportunities', flash: 'Opportunité publiée sur cet espace.', audit: { target: checked._id } };
      } catch (e) {
        if (!isAppError(e) || e.status !== 422) throw e;
        const typed = { ...(req.body as Record<string, string | string[]>) };
        return { page: page({ title: 'Opportunités', session, spaceName, body: form(session, await communes(s), `Vérifiez le formulaire : ${e.details}`, typed) }), status: 422 };
      }
    },
  },
];
