export { Catalog, type CatalogChange, type ChangeListener, type ListOptions } from './catalog.js';
export { localize } from './localize.js';
export { audioFieldOf, Translations } from './translations.js';
