import { isAppError, parseContentDoc, TRADES } from '../../../content/index.js';
import { putDoc } from '../../storage/index.js';
import { sessionOf, type Session } from '../../auth/index.js';
import { MatchIndex, interestByOpportunity } from '../../opportunities/index.js';
import { emptyBreakdown } from '../../indicators/index.js';
import { breakdownTable } from '../breakdown-table.js';
import { field, slugFrom } from '../form.js';
import { KIND_LABEL, opportunityDraft, opportunityFields, type TypedForm } from '../opportunity-form.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page, when } from '../layout.js';
import { STAFF, type AdminRoute, type AdminServices } from '../route-table.js';
import { formFields } from '../../http/index.js';

async function communes(s: AdminServices): Promise<{ slug: string; name: string }[]> {
  const all = await s.deps.digest.of('commune');
  return [...all.byId.values()]
    .filter((c) => c.kind === 'commune-urbaine' || c.kind === 'commune-rurale')
    .map((c) => ({ slug: c.id.slice('commune:'.length), name: c.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

function form(session: Session, places: { slug: string; name: string }[], error?: string, typed: TypedForm = {}): SafeHtml {
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/opportunities" class="stack">
  ${csrfField(session)}
  <h2>Publier une opportunité locale</h2>
  ${opportunityFields(places, typed)}
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
      const list = (await s.deps.catalog.list('opportunity', { limit: 500, skip: 0 })).items.map((o) => ({
        ...o,
        trades: o.trades ?? [],
        communes: o.communes ?? [],
        for: o.for ?? [],
      }));
      list.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
      const interest = await interestByOpportunity(s.deps.dbs.submissions, s.deps.config.hubId);
      // Who the SMS notices would reach: members who consented, by their trades and commune.
      await s.deps.sms?.directory.current();
      const index = new MatchIndex(s.deps.sms?.directory.consenting() ?? []);
      const body = html`
<p>Les opportunités publiées par la fédération (depuis central) et celles de cet espace. « Intéressé·es » : compté sur cet espace, par sexe et âge ; « SMS » : membres qui ont accepté les SMS et dont le métier et la commune correspondent.</p>
${
  list.length === 0
    ? html`<p>Aucune opportunité.</p>`
    : html`<table><thead><tr><th scope="col">Opportunité</th><th scope="col">Métiers</th><th scope="col">Avant le</th><th scope="col">Publiée par</th><th scope="col">Intéressé·es</th><th scope="col">dont femmes</th><th scope="col">SMS</th></tr></thead>
<tbody>${list.map((o) => {
        const b = interest.get(o._id) ?? emptyBreakdown();
        return html`<tr><td><a href="/admin/opportunities/${o._id.slice('opportunity:'.length)}">${o.title.fr}</a> <small>${KIND_LABEL[o.kind]}</small></td><td>${o.trades.length ? o.trades.map((t) => TRADES[t].fr).join(', ') : 'tous'}</td><td>${o.deadline ?? '—'}</td><td>${o.publisher}</td><td>${b.total}</td><td>${b.bySex.F}</td><td>${index.match(o).length}</td></tr>`;
      })}</tbody></table>`
}
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
      const o = await s.deps.catalog.get(`opportunity:${String(req.params.slug)}`);
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
      const doc = opportunityDraft(req.body, {
        id: `opportunity:${hubId}-${slugFrom(field(req, 'title'), 60 - hubId.length)}`,
        audience: { hubs: [hubId] },
        publisher: spaceName,
      });
      try {
        const checked = parseContentDoc(doc, 'opportunity');
        await putDoc(s.deps.dbs.content, checked);
        // The members it matches hear of it by SMS (once each), in the next round of notices.
        void s.deps.sms?.plan().then(() => s.deps.sms?.kick());
        return { redirect: '/admin/opportunities', flash: 'Opportunité publiée sur cet espace.', audit: { target: checked._id } };
      } catch (e) {
        if (!isAppError(e) || e.status !== 422) throw e;
        const typed = formFields(req.body);
        return {
          page: page({ title: 'Opportunités', session, spaceName, body: form(session, await communes(s), `Vérifiez le formulaire : ${e.details}`, typed) }),
          status: 422,
        };
      }
    },
  },
];
