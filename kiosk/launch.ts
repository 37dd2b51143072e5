import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AppError, projectRoot } from '../content/index.js';

/**
 * Finding Electron and the kiosk's entry, and the checks `espace kiosk` makes before it
 * starts Electron. Electron's binary is downloaded by its npm package's install script,
 * which cannot run everywhere (no Internet, install scripts off): then say so plainly.
 */
export type ElectronLookup = { found: true; path: string; source: string } | { found: false; why: string };

/** A regular file with an execute bit this user may use (root passes access(X_OK) for more than that). */
function isExecutable(path: string): boolean {
  try {
    const st = statSync(path);
    if (!st.isFile() || (st.mode & 0o111) === 0) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** ELECTRON_PATH first (a system or hand-copied Electron), then the `electron` npm package. */
export function findElectron(electronPath: string | undefined): ElectronLookup {
  if (electronPath) {
    return isExecutable(electronPath)
      ? { found: true, path: electronPath, source: 'ELECTRON_PATH' }
      : { found: false, why: `ELECTRON_PATH=${electronPath} is not an executable file` };
  }
  let resolved: unknown;
  try {
    // The package's main module returns the path of the binary its install script downloaded.
    resolved = createRequire(join(projectRoot(), 'package.json'))('electron');
  } catch (e) {
    const msg = (e as Error).message;
    if (/Cannot find module 'electron'/.test(msg))
      return { found: false, why: 'the electron npm package is not installed (its download failed, so npm left it out)' };
    // Thrown by the package when its install script never ran (npm ci --ignore-scripts) or could not download.
    if (/failed to install correctly/.test(msg))
      return {
        found: false,
        why: 'the electron npm package is there but its binary was never downloaded (npm ran without install scripts, or without Internet)',
      };
    return { found: false, why: `the electron npm package is broken: ${msg.split('\n')[0]}` };
  }
  if (typeof resolved !== 'string' || !existsSync(resolved)) {
    return { found: false, why: 'the electron npm package is installed but its binary was never downloaded' };
  }
  return { found: true, path: resolved, source: 'electron npm package' };
}

export function electronMissingError(why: string): AppError {
  return new AppError(
    1,
    'electron-missing',
    [
      `Electron binary missing: ${why}.`,
      'The kiosk needs Electron (Debian and Raspberry Pi OS do not package it). On the Pi, either:',
      `  - with Internet: cd ${projectRoot()} && npm rebuild electron   (runs the download that npm ci --ignore-scripts skipped;`,
      '    if node_modules/electron is missing altogether: npm install --no-save electron)',
      '  - without: copy an Electron release for linux-arm64 (electron-v*-linux-arm64.zip), unzip it, and run',
      '    ELECTRON_PATH=/opt/electron/electron espace kiosk',
      'Then run "espace kiosk" again (as the kiosk user, not root).',
    ].join('\n')
  );
}

export function refuseRoot(uid: number | undefined): void {
  if (uid === 0) {
    throw new AppError(
      1,
      'kiosk-as-root',
      'the kiosk never runs as root: a page escaping the sandbox would own the Pi. Run it as the desktop user (provisioning installs a systemd unit for the "kiosk" user), e.g. sudo -u kiosk espace kiosk'
    );
  }
}

/** Electron needs a graphical session to draw in; without one it dies with a long Chromium trace. */
export function requireDisplay(env: { WAYLAND_DISPLAY?: string; DISPLAY?: string }): void {
  if (!env.WAYLAND_DISPLAY && !env.DISPLAY) {
    throw new AppError(
      1,
      'kiosk-no-display',
      "no graphical session to show the kiosk in (neither WAYLAND_DISPLAY nor DISPLAY is set). Start it from the kiosk user's desktop session (labwc's autostart does), or set WAYLAND_DISPLAY=wayland-0 and XDG_RUNTIME_DIR=/run/user/<uid>"
    );
  }
}

/** The compiled main-process entry that Electron runs. */
export function kioskEntry(): string {
  const entry = join(projectRoot(), 'dist', 'kiosk', 'electron-entry.js');
  if (!existsSync(entry)) throw new AppError(1, 'kiosk-not-built', `the kiosk is not built (${entry} is missing); run "make build" first`);
  return entry;
}

/** Electron's command line: Wayland when the session has it (Pi OS Bookworm), X11 otherwise; then the entry. */
export function electronArgs(entry: string): string[] {
  return ['--ozone-platform-hint=auto', entry];
}
