/** The pack room's light entry (see content/boot.ts): what start-up reads before it may load the pack format. */
export { importInterrupted, INTENT_ID as PACK_INTENT_ID } from './intent.js';
export type { PackTarget } from './import.js';
export type { TrustConfig } from './keys.js';
