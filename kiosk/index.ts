/** The kiosk room: what `espace kiosk` needs to find Electron and start the kiosk's entry. */
export { electronArgs, electronMissingError, findElectron, kioskEntry, refuseRoot, requireDisplay, type ElectronLookup } from './launch.js';
export { flipKioskFuses, KIOSK_FUSES } from './fuses.js';
export { loadKioskConfig, KioskConfigSchema, type KioskConfig } from './config.js';
