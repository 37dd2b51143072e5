import type { SpaceProfile } from '../../profile/index.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';
import { CONFIG_PATH, cli } from './systemd.js';

export const KIOSK_USER_UNIT = '/etc/systemd/user/espace-kiosk.service';

/**
 * The kiosk runs in the graphical session of the non-root `kiosk` user: lightdm logs it in
 * (labwc on Bookworm), labwc's autostart hands the kiosk to the user's systemd, which restarts
 * it whenever it exits.
 */
export function kioskFiles(p: SpaceProfile): RenderedFile[] {
  const restartSession = [restart('lightdm.service')];
  const unit =
    header('#', 'the kiosk (user unit of the kiosk account)') +
    `[Unit]\nDescription=Espace Connecté kiosk (the portal, full screen)\nConditionUser=kiosk\nStartLimitIntervalSec=0\n\n` +
    (p.kiosk.watchdogSeconds
      ? `[Service]\nType=notify\n# READY=1 and WATCHDOG=1 come from Electron's main process, a child of "espace kiosk".\nNotifyAccess=all\nWatchdogSec=${p.kiosk.watchdogSeconds}\n`
      : `[Service]\nType=simple\n`) +
    `Environment=ESPACE_CONFIG=${CONFIG_PATH}\nWorkingDirectory=${p.install.appDir}\n` +
    `ExecStart=${cli(p)} kiosk\nRestart=always\nRestartSec=3\n\n` +
    `[Install]\nWantedBy=default.target\n`;
  const autostart =
    header('#', 'labwc autostart of the kiosk account') +
    `# The compositor's environment goes to the user's systemd, which runs and restarts the kiosk.\n` +
    `systemctl --user import-environment WAYLAND_DISPLAY XDG_RUNTIME_DIR XDG_SESSION_TYPE DISPLAY\n` +
    `systemctl --user start espace-kiosk.service &\n`;
  const lightdm =
    header('#', 'automatic login of the kiosk account') +
    `[Seat:*]\nautologin-user=kiosk\nautologin-user-timeout=0\nautologin-session=${p.kiosk.session}\nuser-session=${p.kiosk.session}\n`;
  return [
    { path: KIOSK_USER_UNIT, content: unit, mode: 0o644, owner: 'root', onChange: restartSession },
    { path: '/home/kiosk/.config/labwc/autostart', content: autostart, mode: 0o644, owner: 'kiosk', onChange: restartSession },
    { path: '/etc/lightdm/lightdm.conf.d/50-espace-kiosk.conf', content: lightdm, mode: 0o644, owner: 'root', onChange: restartSession },
  ];
}
