/** Turns a space profile into the system files of a Raspberry Pi OS (Trixie or Bookworm) hub, and applies them. */
export { renderProfile } from './render.js';
export { planTree, diffOf, writeTree, writeAtomic, type PlannedFile, type ChangeKind } from './tree.js';
export type { Action, Rendered, RenderedFile } from './types.js';
export { CONFIG_PATH, SECRETS_PATH, BOOT_PROFILE } from './templates/systemd.js';
export { NFT_PATH } from './templates/nftables.js';
export { NGINX_PATH, nginxFrontConfig, type FrontOptions } from './templates/nginx.js';
export { AP_CONNECTION, LAN_CONNECTION } from './templates/network.js';
export { KIOSK_USER_UNIT } from './templates/kiosk.js';
export { applyProfile, commandsFor, missingPackages, looksLikeAPi, type ApplyOptions, type ApplyResult, type ApplyMode } from './apply.js';
export { setIniKeys, addFstabOptions } from './edit.js';
export { kioskSession, LIGHTDM_CONF } from './templates/kiosk.js';
export { GSM_CONNECTION, WIRED_UPLINK_CONNECTION } from './templates/uplink.js';
