/**
 * What must happen on the Pi when a rendered file changes. `apply` turns these into commands;
 * a file that did not change triggers nothing.
 */
export type Action =
  | { kind: 'restart'; unit: string }
  | { kind: 'daemon-reload' }
  | { kind: 'nm-up'; connection: string }
  /** NetworkManager reads its connections again; they come up by themselves (a modem may be absent now). */
  | { kind: 'nm-reload' }
  | { kind: 'sysusers' }
  | { kind: 'tmpfiles' }
  | { kind: 'sysctl' }
  | { kind: 'hostname' }
  | { kind: 'wifi-country'; country: string }
  /** systemd's own configuration (the watchdog) is read again only on re-exec. */
  | { kind: 'daemon-reexec' }
  /** raspi-config's overlay root, switched on or off (effective at the next boot). */
  | { kind: 'overlay-root'; enabled: boolean };

export interface RenderedFile {
  /** Absolute path on the Pi, e.g. `/etc/dnsmasq.d/espace.conf`. */
  path: string;
  content: string;
  /** File mode; secrets are 0o600. */
  mode: number;
  /** Owner on the Pi (apply chowns; a render into a directory keeps the caller's owner). */
  owner?: 'root' | 'espace' | 'kiosk';
  /** Group on the Pi, when it is not the owner's (the hub's configuration: root, group espace). */
  group?: 'espace' | 'kiosk';
  /**
   * A file the system owns and we change a part of (lightdm.conf, fstab): the new text from
   * the current one (null when absent). Must be idempotent: edit(edit(x)) === edit(x).
   * `content` is then what a render into an empty directory writes.
   */
  edit?: (current: string | null) => string;
  /** What to do when this file changed. */
  onChange: Action[];
}

export interface Rendered {
  files: RenderedFile[];
  /** Debian packages the enabled features need (apply installs those missing). */
  packages: string[];
  /** Units Debian ships masked that must run (hostapd). */
  unmask: string[];
  /** Units to enable (apply enables them every time; enabling twice is harmless). */
  enable: string[];
  /** Units to keep off when they exist, because another part does their job (NetworkManager's AP vs hostapd, zram vs a swap file). */
  disable: string[];
}

export const restart = (unit: string): Action => ({ kind: 'restart', unit });
