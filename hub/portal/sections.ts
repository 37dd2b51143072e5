/** The portal's sections, in the order of the home tiles and the menu. */
export const SECTIONS = [
  { id: 'apprendre', key: 'nav.learn', path: '/apprendre', icon: 'learn' },
  { id: 'sinformer', key: 'nav.inform', path: '/sinformer', icon: 'inform' },
  { id: 'elus', key: 'nav.officials', path: '/elus', icon: 'officials' },
  { id: 'organisations', key: 'nav.organisations', path: '/organisations', icon: 'organisations' },
  { id: 'participer', key: 'nav.participate', path: '/participer', icon: 'participate' },
  { id: 'communaute', key: 'nav.community', path: '/communaute', icon: 'speech' },
  { id: 'inscription', key: 'nav.register', path: '/inscription', icon: 'register' },
  { id: 'agenda', key: 'nav.agenda', path: '/agenda', icon: 'agenda' },
  { id: 'opportunites', key: 'nav.opportunities', path: '/opportunites', icon: 'star' },
] as const;

export type SectionId =
  (typeof SECTIONS)[number]['id'] | 'propositions' | 'plans' | 'appels' | 'accueil' | 'recherche' | 'hors-ligne' | 'langue' | 'bienvenue' | 'kiosk';

/** Which section a portal path belongs to (for the menu and the anonymous usage counts). */
export function sectionOf(path: string): SectionId | null {
  if (path === '/') return 'accueil';
  const first = path.split('/')[1] ?? '';
  const known = [
    'apprendre',
    'sinformer',
    'elus',
    'organisations',
    'participer',
    'communaute',
    'inscription',
    'agenda',
    'opportunites',
    'propositions',
    'plans',
    'appels',
    'recherche',
    'hors-ligne',
    'langue',
    'bienvenue',
    'kiosk',
  ];
  return known.includes(first) ? (first as SectionId) : null;
}
