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
export { sendCsv, sendCsvText } from './csv-response.js';
export { progressFields, readProgress, ACTION_STATUS_LABEL, type ProgressForm, type ProgressErrors } from './progress-form.js';
export { proposalFiguresBlock } from './proposal-figures.js';
