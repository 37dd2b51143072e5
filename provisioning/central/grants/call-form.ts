import { APPLICANT_KINDS, Call, GRANT_DOCUMENT_KINDS, GRANT_FILE_TYPES } from '../../../content/index.js';

/** Rows of the console's call form: criteria and documents. */
export const CRITERIA_ROWS = 6;
export const DOCUMENT_ROWS = 4;

type Form = Record<string, string | string[] | undefined>;
const one = (f: Form, k: string) => {
  const v = f[k];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const many = (f: Form, k: string) => {
  const v = f[k];
  return Array.isArray(v) ? v : v ? [v] : [];
};
/** "1 000 000" → 1000000; '' → undefined; anything else → NaN (the schema then says it). */
const amount = (s: string) => {
  const t = s.replace(/[\s\u00a0\u202f.]/g, '');
  return t === '' ? undefined : /^-?\d{1,13}$/.test(t) ? Number(t) : NaN;
};
const decimal = (s: string) => (s === '' ? undefined : Number(s.replace(',', '.')));

/** Where each problem is said: the form's field, and the sentence in French. */
function french(path: PropertyKey[], message: string): [string, string] {
  const [head, i, sub] = path.map(String);
  switch (head) {
    case '_id':
      return ['slug', 'L’identifiant de l’appel : lettres minuscules, chiffres et tirets, par exemple « appel-femmes-2027 ».'];
    case 'title':
      return ['title', 'Écrivez le titre en français.'];
    case 'text':
      return ['text', 'Écrivez le texte de l’appel en français.'];
    case 'budget':
      return ['budget', 'Le budget total est un nombre entier de francs CFA, plus que 0.'];
    case 'maxPerGrant':
      return /exceed/.test(message)
        ? ['maxPerGrant', 'Le montant maximum par initiative ne peut pas dépasser le budget total.']
        : ['maxPerGrant', 'Le montant maximum par initiative est un nombre entier de francs CFA, plus que 0.'];
    case 'eligible':
      return ['eligible', 'Cochez au moins un type d’organisation.'];
    case 'communes':
      return ['communes', 'Nommez au moins une commune par son identifiant, par exemple « kayes, nioro ».'];
    case 'opens':
      return ['opens', 'Une date s’écrit AAAA-MM-JJ.'];
    case 'deadline':
      return /after the opening/.test(message)
        ? ['deadline', 'La date limite doit venir après la date d’ouverture.']
        : ['deadline', 'Une date s’écrit AAAA-MM-JJ.'];
    case 'criteria':
      if (i === undefined)
        return [
          'criteria',
          /same id/.test(message) ? 'Deux critères ont le même identifiant.' : 'Donnez au moins un critère (un identifiant, un libellé, un maximum de points).',
        ];
      if (sub === 'max') return [`crit-${i}`, 'Un critère vaut de 1 à 1000 points (un nombre entier).'];
      if (sub === 'weight') return [`crit-${i}`, 'Le poids d’un critère est un nombre plus que 0.'];
      if (sub === 'id') return [`crit-${i}`, 'L’identifiant du critère : lettres minuscules, chiffres et tirets, par exemple « impact ».'];
      return [`crit-${i}`, 'Donnez un libellé au critère.'];
    case 'documents':
      if (sub === 'types') return [`doc-${i}`, 'Cochez au moins un type de fichier accepté pour cette pièce.'];
      return [`doc-${i}`, 'Donnez un nom à cette pièce.'];
    default:
      return ['general', `Appel refusé : ${path.join('.')} — ${message}`];
  }
}

/**
 * The call an editor typed in the console, checked by the shared schema (the same rules central's
 * validate_doc_update applies), each problem said in French beside its field.
 */
export function callFromForm(f: Form): { call: Call | null; errors: Record<string, string> } {
  const criteria = Array.from({ length: CRITERIA_ROWS }, (_, i) => ({
    id: one(f, `crit-id-${i}`),
    label: one(f, `crit-label-${i}`),
    max: one(f, `crit-max-${i}`),
    weight: one(f, `crit-weight-${i}`),
  }))
    .map((c, i) => ({ ...c, i }))
    .filter((c) => c.id || c.label || c.max);
  const documents = Array.from({ length: DOCUMENT_ROWS }, (_, i) => ({
    kind: one(f, `doc-kind-${i}`),
    label: one(f, `doc-label-${i}`),
    types: GRANT_FILE_TYPES.filter((t) => many(f, `doc-types-${i}`).includes(t)),
    required: one(f, `doc-required-${i}`) === 'oui',
    i,
  })).filter((d) => d.label || d.types.length);
  const titleBm = one(f, 'title-bm');
  const candidate = {
    _id: `call:${one(f, 'slug')}`,
    type: 'call',
    audience: { all: true },
    title: { fr: one(f, 'title'), ...(titleBm ? { bm: titleBm } : {}) },
    text: { fr: one(f, 'text') },
    budget: amount(one(f, 'budget')),
    maxPerGrant: amount(one(f, 'maxPerGrant')),
    criteria: criteria.map((c) => ({ id: c.id, label: { fr: c.label }, max: decimal(c.max), ...(c.weight ? { weight: decimal(c.weight) } : {}) })),
    eligible: APPLICANT_KINDS.filter((k) => many(f, 'eligible').includes(k)),
    communes: one(f, 'communes')
      .split(/[\s,;]+/)
      .filter(Boolean),
    opens: one(f, 'opens'),
    deadline: one(f, 'deadline'),
    documents: documents.map((d) => ({
      kind: (GRANT_DOCUMENT_KINDS as readonly string[]).includes(d.kind) ? d.kind : 'autre',
      label: { fr: d.label },
      types: d.types,
      required: d.required,
    })),
    updatedAt: new Date().toISOString(),
  };
  const parsed = Call.safeParse(candidate);
  if (parsed.success) return { call: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    // A criterion's row in the form is its index among the filled rows.
    const row = typeof issue.path[1] === 'number' ? issue.path[1] : -1;
    const path =
      issue.path[0] === 'criteria' && row >= 0
        ? ['criteria', criteria[row]!.i, ...issue.path.slice(2)]
        : issue.path[0] === 'documents' && row >= 0
          ? ['documents', documents[row]!.i, ...issue.path.slice(2)]
          : issue.path;
    const [field, sentence] = french(path, issue.message);
    errors[field] ??= sentence;
  }
  return { call: null, errors };
}
