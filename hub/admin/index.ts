/** The facilitator and technician console under /admin. */
export { adminRouter, adminServices } from './router.js';
export { ADMIN_ROUTES } from './routes/index.js';
export { STAFF, TECHNICIAN, type AdminRoute, type AdminServices } from './route-table.js';
export { publishedAnswers, type PublishedAnswer } from './messages.js';
