/** The hub's logger is the one logger of the project (content/log), shared with the kiosk. */
export { createLogger, deferredLogger, loadLogger, silentLogger, type Logger } from '../../content/boot.js';
