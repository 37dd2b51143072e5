import { OPPORTUNITY_KINDS, TRADE_SLUGS, TRADES, type Audience } from '../../content/index.js';
import { html, type SafeHtml } from './html.js';
import { formList, formText } from '../http/index.js';

/** The kinds of opportunity, as the console names them. */
export const KIND_LABEL: Record<string, string> = {
  formation: 'Formation',
  'foire-marche': 'Foire ou marché',
  'appel-offres': 'Appel d’offres',
  equipement: 'Équipement',
  'emploi-apprentissage': 'Emploi ou apprentissage',
  reseautage: 'Rencontre professionnelle',
};

export type TypedForm = Record<string, string | string[]>;

/** Values of a repeated form field (checkboxes): none, one or several. */
export function formValues(body: unknown, name: string): string[] {
  return formList(body, name);
}

/**
 * The fields of an opportunity, the same for a facilitator's local one and for central's
 * (which also names its publisher): what was typed comes back when the form is refused.
 */
export function opportunityFields(places: { slug: string; name: string }[], typed: TypedForm = {}, opts: { publisher?: boolean } = {}): SafeHtml {
  const has = (name: string, v: string) => ([] as string[]).concat(typed[name] ?? []).includes(v);
  const val = (name: string) => String(typed[name] ?? '');
  return html`<label for="kind">Type</label><select id="kind" name="kind" required>${OPPORTUNITY_KINDS.map((k) => html`<option value="${k}" ${val('kind') === k ? html`selected` : ''}>${KIND_LABEL[k]}</option>`)}</select>
  <label for="title">Titre (français)</label><input id="title" name="title" required maxlength="120" value="${val('title')}">
  <label for="titleBm">Titre en bambara (facultatif)</label><input id="titleBm" name="titleBm" lang="bm" maxlength="120" value="${val('titleBm')}">
  <label for="summary">En quelques mots</label><textarea id="summary" name="summary" rows="2" required maxlength="400">${val('summary')}</textarea>
  <fieldset><legend>Métiers (aucun coché : tous)</legend>${TRADE_SLUGS.map((t) => html`<label class="choice"><input type="checkbox" name="trades" value="${t}" ${has('trades', t) ? html`checked` : ''}> ${TRADES[t].fr}</label>`)}</fieldset>
  <fieldset><legend>Communes (aucune cochée : toutes)</legend>${places.map((c) => html`<label class="choice"><input type="checkbox" name="communes" value="${c.slug}" ${has('communes', c.slug) ? html`checked` : ''}> ${c.name}</label>`)}</fieldset>
  <fieldset><legend>Pour qui (aucun coché : tout le monde)</legend>
    <label class="choice"><input type="checkbox" name="for" value="femmes" ${has('for', 'femmes') ? html`checked` : ''}> les femmes</label>
    <label class="choice"><input type="checkbox" name="for" value="jeunes" ${has('for', 'jeunes') ? html`checked` : ''}> les jeunes (15–35 ans)</label>
  </fieldset>
  <label for="startsAt">Du (date, facultatif)</label><input id="startsAt" name="startsAt" type="date" value="${val('startsAt')}">
  <label for="endsAt">Au (date, facultatif)</label><input id="endsAt" name="endsAt" type="date" value="${val('endsAt')}">
  <label for="deadline">Répondre avant le (date)</label><input id="deadline" name="deadline" type="date" value="${val('deadline')}">
  <label for="howToRespond">Comment répondre</label><textarea id="howToRespond" name="howToRespond" rows="2" required maxlength="600">${val('howToRespond')}</textarea>
  <label for="place">Où (facultatif)</label><input id="place" name="place" maxlength="200" value="${val('place')}">
  <label for="phone">Téléphone à appeler (facultatif)</label><input id="phone" name="phone" type="tel" maxlength="20" value="${val('phone')}">
  ${opts.publisher ? html`<label for="publisher">Publiée par</label><input id="publisher" name="publisher" required maxlength="120" value="${val('publisher') || 'FNAM'}">` : ''}`;
}

/** The opportunity doc a submitted form describes (checked by the caller with parseContentDoc). */
export function opportunityDraft(body: unknown, where: { id: string; audience: Audience; publisher: string }): Record<string, unknown> {
  const f = (name: string) => {
    return formText(body, name)?.trim() ?? '';
  };
  const now = new Date().toISOString();
  // A day typed in a date field: the event's morning and evening (Mali is on UTC).
  const day = (name: string, time: string) => (/^\d{4}-\d{2}-\d{2}$/.test(f(name)) ? `${f(name)}T${time}Z` : f(name) || undefined);
  const startsAt = day('startsAt', '08:00:00');
  const endsAt = day('endsAt', '18:00:00');
  const contact = { ...(f('place') ? { place: f('place') } : {}), ...(f('phone') ? { phone: f('phone') } : {}) };
  return {
    _id: where.id,
    type: 'opportunity',
    audience: where.audience,
    kind: f('kind'),
    title: { fr: f('title'), ...(f('titleBm') ? { bm: f('titleBm') } : {}) },
    summary: { fr: f('summary') },
    trades: formValues(body, 'trades'),
    communes: formValues(body, 'communes'),
    for: formValues(body, 'for'),
    ...(startsAt ? { startsAt } : {}),
    ...(endsAt ? { endsAt } : {}),
    ...(f('deadline') ? { deadline: f('deadline') } : {}),
    howToRespond: { fr: f('howToRespond') },
    contact,
    publisher: where.publisher,
    publishedAt: now,
    updatedAt: now,
  };
}
