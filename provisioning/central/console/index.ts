/** Central's console: the programme team's web app beside CouchDB (`espace central console`). */
export { createConsoleApp, startConsole, type ConsoleHandle, type RunningConsole } from './app.js';
export { ConsoleConfig, loadConsoleConfig, type ConsoleConfigInput } from './config.js';
export { CONSOLE_PAGES } from './pages/index.js';
export { CONSOLE_ROLES, consoleRoles, type ConsoleRole } from './roles.js';
export { BASE as CONSOLE_BASE, LOGIN_PATH as CONSOLE_LOGIN_PATH } from './layout.js';
export type { ConsoleContext, ConsolePage, ConsoleResult, ConsoleRoute, ConsoleServices } from './page-table.js';
