import { ACTION_STATUSES, AGE_BANDS, BUDGET_MAX, isSafeText, ProgressUpdate, type PlanAction } from '../../content/index.js';
import { html, type SafeHtml, type Value } from './html.js';
import { ageLabel, select } from './layout.js';

/**
 * The form an elected official fills to post progress on one action of a plan — at the hub's
 * console and at central's — and its reading: each field checked with a French sentence beside
 * it, nothing stored while one is wrong. The evidence file (photo, document, voice) is handled
 * by each console, which stores it its own way.
 */
export const ACTION_STATUS_LABEL: Record<(typeof ACTION_STATUSES)[number], string> = {
  'a-venir': 'à venir',
  'en-cours': 'en cours',
  fait: 'fait',
  'en-retard': 'en retard',
  abandonne: 'abandonné',
};

export type ProgressForm = Record<string, string>;
export type ProgressErrors = Record<string, string>;

const NUMBER = /^\d+([.,]\d+)?$/;
const clean = (v: string | undefined) => (v ?? '').replace(/[\s\u00a0\u202f]/g, '');

/** A number typed in French ("2 500 000", "12,5"), or undefined when empty; NaN when not a number. */
function amount(v: string | undefined): number | undefined {
  const c = clean(v);
  if (c === '') return undefined;
  if (c.startsWith('-')) return -1;
  return NUMBER.test(c) ? Number(c.replace(',', '.')) : Number.NaN;
}

/** Reads the form into a progress update, or the fields in trouble (field → French sentence). */
export function readProgress(form: ProgressForm, by: string, ref?: string): { update?: ProgressUpdate; errors: ProgressErrors } {
  const errors: ProgressErrors = {};
  const at = form.at ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(at) || Number.isNaN(Date.parse(at))) errors.at = 'Indiquez la date du point, par exemple 2027-03-31.';
  const status = form.status ?? '';
  if (!(ACTION_STATUSES as readonly string[]).includes(status)) errors.status = 'Choisissez l’état de l’action dans la liste.';
  const done = amount(form.done);
  if (done === undefined || Number.isNaN(done) || done < 0 || done > 100) errors.done = 'La part réalisée est un nombre entre 0 et 100.';
  const spent = amount(form.spent);
  if (spent !== undefined && (Number.isNaN(spent) || spent < 0)) errors.spent = 'Le montant dépensé est un nombre de francs CFA, 0 ou plus (jamais négatif).';
  else if (spent !== undefined && spent > BUDGET_MAX) errors.spent = 'Le montant est trop grand : tapez-le en francs CFA.';
  const achieved: Record<string, number> = {};
  const byAge: Record<string, number> = {};
  for (const [key, into, name] of [
    ['total', achieved, 'achievedTotal'],
    ['F', achieved, 'achievedF'],
    ['M', achieved, 'achievedM'],
    ...AGE_BANDS.map((b) => [b, byAge, `achievedAge${b}`] as const),
  ] as const) {
    const n = amount(form[name]);
    if (n === undefined) continue;
    if (Number.isNaN(n) || n < 0) errors[name] = 'Un nombre de personnes, 0 ou plus.';
    else into[key] = n;
  }
  const note = (form.note ?? '').trim();
  if (note.length > 2000) errors.note = 'La note est trop longue (2 000 caractères au plus).';
  else if (note && !isSafeText(note, true)) errors.note = 'La note contient des caractères invisibles : retapez-la.';
  if (Object.keys(errors).length) return { errors };
  const update = {
    at,
    status,
    done,
    ...(spent !== undefined ? { spent } : {}),
    ...(Object.keys(achieved).length || Object.keys(byAge).length ? { achieved: { ...achieved, ...(Object.keys(byAge).length ? { byAge } : {}) } } : {}),
    ...(note ? { note: { fr: note } } : {}),
    by,
    ...(ref ? { ref } : {}),
  };
  const parsed = ProgressUpdate.safeParse(update);
  if (!parsed.success) return { errors: { status: `Le point n’est pas enregistré : ${parsed.error.issues[0]!.message}.` } };
  return { update: parsed.data, errors: {} };
}

const err = (e: string | undefined): Value => (e ? html`<span class="error" role="alert">${e}</span>` : '');

/** The fields of the form (inside a `<form>` the console writes, with its CSRF token and action). */
export function progressFields(action: PlanAction, typed: ProgressForm = {}, errors: ProgressErrors = {}, withEvidence = false): SafeHtml {
  const id = (n: string) => `${action.id}-${n}`;
  const num = (name: string, label: string, extra = '') =>
    html`<label for="${id(name)}">${label}</label><input id="${id(name)}" name="${name}" inputmode="decimal" value="${typed[name] ?? ''}" ${extra ? html`placeholder="${extra}"` : ''}>${err(errors[name])}`;
  return html`<label for="${id('at')}">Date du point</label><input id="${id('at')}" name="at" type="date" required value="${typed.at ?? new Date().toISOString().slice(0, 10)}">${err(errors.at)}
<label for="${id('status')}">État</label>${select(
    'status',
    ACTION_STATUSES.map((s) => [s, ACTION_STATUS_LABEL[s]] as const),
    typed.status ?? 'en-cours',
    { id: id('status'), required: true }
  )}${err(errors.status)}
${num('done', 'Part réalisée (%)', '0 à 100')}
${num('spent', 'Dépensé jusqu’ici (FCFA)')}
<fieldset><legend>Atteint (${action.indicator.label.fr})</legend>
${num('achievedTotal', 'Total')} ${num('achievedF', 'Femmes')} ${num('achievedM', 'Hommes')}
${AGE_BANDS.map((b) => num(`achievedAge${b}`, ageLabel(b)))}
</fieldset>
<label for="${id('note')}">Note (tout le monde la lit)</label><textarea id="${id('note')}" name="note" rows="3" maxlength="2000">${typed.note ?? ''}</textarea>${err(errors.note)}
${withEvidence ? html`<label for="${id('file')}">Preuve : photo, document (PDF) ou voix (facultatif)</label><input id="${id('file')}" name="file" type="file" accept="image/*,application/pdf,audio/*">${err(errors.file)}` : ''}`;
}
