/**
 * The technician's room: the `espace` command line (cli.ts, not exported: it runs when
 * loaded) and the pieces its commands are made of. It is the top of the graph
 * (content ← hub ← provisioning): nothing in content/, hub/ or kiosk/ imports it.
 */
export * from './profile/index.js';
export * from './render/index.js';
export * from './usb/index.js';
export * as fleet from './fleet/index.js';
export * as central from './central/index.js';
