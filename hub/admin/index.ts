/** The facilitator and technician console under /admin. */
export { adminRouter, adminServices } from './router.js';
export { ADMIN_ROUTES } from './routes/index.js';
export { STAFF, TECHNICIAN, type AdminRoute, type AdminServices } from './route-table.js';
export { publishedAnswers, type PublishedAnswer } from './messages.js';
/**
 * The console's parts, for central's console (provisioning/central/console), which is built
 * from them rather than a second copy: page chrome, forms, charts, tables, CSV.
 */
export { consolePage, csrfField, actionButton, select, when, SEX_LABEL, ageLabel, type ConsoleChrome } from './layout.js';
export { html, trusted, type SafeHtml, type Value } from './html.js';
export { field, query, param } from './form.js';
export { sexChart, youthChart, barChart } from './charts.js';
export { breakdownTable } from './breakdown-table.js';
export { communityFiguresBlock } from './community-figures.js';
export { sendCsv, sendCsvText } from './csv-response.js';
export { slugFrom } from './form.js';
export { KIND_LABEL as OPPORTUNITY_KIND_LABEL, formValues, opportunityDraft, opportunityFields, type TypedForm } from './opportunity-form.js';
export { channelTables } from './channel-tables.js';
export { grantFiguresBlock } from './grant-figures.js';
export { progressFields, readProgress, ACTION_STATUS_LABEL, type ProgressForm, type ProgressErrors } from './progress-form.js';
export { proposalFiguresBlock } from './proposal-figures.js';
export { consoleErrorPage } from './error-page.js';
