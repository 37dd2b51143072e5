import type { SpaceProfile } from '../../profile/index.js';
import { setIniKeys } from '../edit.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';
import { CONFIG_PATH, cli } from './systemd.js';

export const KIOSK_USER_UNIT = '/etc/systemd/user/espace-kiosk.service';
export const LIGHTDM_CONF = '/etc/lightdm/lightdm.conf';
/** The system-wide labwc autostart of Raspberry Pi OS (panel, desktop, kanshi for the display's rotation). */
export const SYSTEM_LABWC_AUTOSTART = '/etc/xdg/labwc/autostart';

/**
 * The labwc session Raspberry Pi OS logs into: "LXDE-pi-labwc" on Bookworm, "rpd-labwc" on
 * Trixie (its desktop was renamed rpd). Trixie's name is from its lightdm.conf as published;
 * not yet checked on a card here — set kiosk.session if lightdm says the session is unknown.
 */
export function kioskSession(p: SpaceProfile): string {
  return p.kiosk.session ?? (p.os === 'trixie' ? 'rpd-labwc' : 'LXDE-pi-labwc');
}

/**
 * The kiosk runs in the graphical session of the non-root `kiosk` user: lightdm logs it in
 * (labwc), labwc's autostart hands the kiosk to the user's systemd, which restarts it whenever
 * it exits.
 */
export function kioskFiles(p: SpaceProfile): RenderedFile[] {
  const restartSession = [restart('lightdm.service')];
  const session = kioskSession(p);
  const unit =
    header('#', 'the kiosk (user unit of the kiosk account)') +
    `[Unit]\nDescription=Espace Connecté kiosk (the portal, full screen)\nConditionUser=kiosk\nStartLimitIntervalSec=0\n\n` +
    (p.kiosk.watchdogSeconds
      ? `[Service]\nType=notify\n# READY=1 and WATCHDOG=1 come from Electron's main process, a child of "espace kiosk".\nNotifyAccess=all\nWatchdogSec=${p.kiosk.watchdogSeconds}\n`
      : `[Service]\nType=simple\n`) +
    `Environment=ESPACE_CONFIG=${CONFIG_PATH}\nEnvironment=ELECTRON_PATH=${p.kiosk.electronPath}\nWorkingDirectory=${p.install.appDir}\n` +
    `ExecStart=${cli(p)} kiosk\nRestart=always\nRestartSec=3\n\n` +
    `[Install]\nWantedBy=default.target\n`;
  // labwc runs the first autostart it finds (the user's), so ours runs the system's first:
  // the display's rotation (kanshi) and the rest of Raspberry Pi OS's session stay as they are.
  const autostart =
    header('#', 'labwc autostart of the kiosk account') +
    `# Raspberry Pi OS's own session first (labwc reads only this file when it exists).\n` +
    `[ -r ${SYSTEM_LABWC_AUTOSTART} ] && sh ${SYSTEM_LABWC_AUTOSTART}\n` +
    `# The compositor's environment goes to the user's systemd, which runs and restarts the kiosk.\n` +
    `systemctl --user import-environment WAYLAND_DISPLAY XDG_RUNTIME_DIR XDG_SESSION_TYPE DISPLAY\n` +
    `systemctl --user start espace-kiosk.service &\n`;
  // lightdm reads lightdm.conf.d/*.conf BEFORE lightdm.conf, and Raspberry Pi OS's lightdm.conf
  // sets autologin-user to the first user: a drop-in would lose. So, as raspi-config does, the
  // keys are set in lightdm.conf itself.
  const seat = { 'autologin-user': 'kiosk', 'autologin-user-timeout': '0', 'autologin-session': session, 'user-session': session };
  const lightdm = (current: string | null) => setIniKeys(current, 'Seat:*', seat);
  return [
    { path: KIOSK_USER_UNIT, content: unit, mode: 0o644, owner: 'root', onChange: restartSession },
    { path: '/home/kiosk/.config/labwc/autostart', content: autostart, mode: 0o644, owner: 'kiosk', onChange: restartSession },
    { path: LIGHTDM_CONF, content: lightdm(null), edit: lightdm, mode: 0o644, owner: 'root', onChange: restartSession },
  ];
}
