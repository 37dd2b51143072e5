import type { SpaceProfile } from '../../profile/index.js';
import { HUB_DATA_DIR } from '../../profile/index.js';
import { addFstabOptions } from '../edit.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';
import { cli, CONFIG_PATH } from './systemd.js';

/**
 * What keeps an SD card alive through daily power cuts: few writes (logs in RAM, no swap on the
 * card, noatime, a longer ext4 commit interval — the hub fsyncs what it acknowledges, so only
 * unsynced writes wait longer), the hardware watchdog for hangs, optionally a read-only root,
 * and a nightly copy of the hub's data on a USB stick.
 */

/** ext4 options for the card: no access-time writes, journal commits every minute instead of 5 s. */
export const EXT4_OPTIONS = ['noatime', 'commit=60'];
const UNIT_DIR = '/etc/systemd/system';
const reload = { kind: 'daemon-reload' } as const;

/** Logs in RAM only, capped: a power cut loses them, the card never sees them. */
export function journald(p: SpaceProfile): RenderedFile {
  const max = p.storage.journalMaxMB;
  return {
    path: '/etc/systemd/journald.conf.d/espace.conf',
    content:
      header('#', 'journald in RAM, capped, to spare the SD card') +
      `[Journal]\nStorage=volatile\nCompress=yes\nRuntimeMaxUse=${max}M\nRuntimeMaxFileSize=${Math.max(2, Math.floor(max / 4))}M\nRuntimeKeepFree=64M\nMaxRetentionSec=1week\nRateLimitIntervalSec=30s\nRateLimitBurst=2000\n`,
    mode: 0o644,
    owner: 'root',
    onChange: [restart('systemd-journald.service')],
  };
}

/** Compressed swap in RAM (systemd-zram-generator) instead of a swap file on the card. */
export function zram(p: SpaceProfile): RenderedFile {
  const content =
    header('#', 'swap in compressed RAM, never on the SD card') +
    (p.storage.zramPercent > 0
      ? `[zram0]\nzram-size = ram * ${(p.storage.zramPercent / 100).toFixed(2)}\ncompression-algorithm = zstd\nswap-priority = 100\n`
      : '# zram off (storage.zramPercent: 0)\n');
  return { path: '/etc/systemd/zram-generator.conf', content, mode: 0o644, owner: 'root', onChange: [reload] };
}

/** The Broadcom watchdog (at most ~15 s) fed by systemd: a hung kernel or PID 1 reboots the Pi. */
export function watchdog(p: SpaceProfile): RenderedFile {
  return {
    path: '/etc/systemd/system.conf.d/espace-watchdog.conf',
    content: header('#', 'the hardware watchdog') + `[Manager]\nRuntimeWatchdogSec=${p.storage.watchdogSeconds}s\nRebootWatchdogSec=2min\n`,
    mode: 0o644,
    owner: 'root',
    onChange: [{ kind: 'daemon-reexec' }],
  };
}

/** The card's root file system: noatime and commit=60 (effective at the next boot). */
export function fstab(): RenderedFile {
  const edit = (current: string | null) => addFstabOptions(current, '/', EXT4_OPTIONS);
  return { path: '/etc/fstab', content: edit(null), edit, mode: 0o644, owner: 'root', onChange: [reload] };
}

/** The hub's data on a partition of its own, with the card's ext4 options. */
export function dataMount(p: SpaceProfile): RenderedFile[] {
  if (!p.storage.dataDevice) return [];
  const content =
    header('#', "the hub's data partition") +
    `[Unit]\nDescription=Espace Connecté data (${p.storage.dataDevice})\nBefore=espace-hub.service\n\n` +
    `[Mount]\nWhat=${p.storage.dataDevice}\nWhere=${HUB_DATA_DIR}\nType=ext4\nOptions=${[...EXT4_OPTIONS, 'errors=remount-ro'].join(',')}\n\n` +
    `[Install]\nWantedBy=local-fs.target\n`;
  return [{ path: `${UNIT_DIR}/var-lib-espace.mount`, content, mode: 0o644, owner: 'root', onChange: [reload] }];
}

/** raspi-config's overlay root: a marker apply compares, and raspi-config does the switch. */
export function overlayRoot(p: SpaceProfile): RenderedFile {
  const on = p.storage.readOnlyRoot;
  return {
    path: '/etc/espace/overlay-root',
    content: header('#', 'read-only root with a RAM overlay (raspi-config), effective at the next boot') + `${on ? 'on' : 'off'}\n`,
    mode: 0o644,
    owner: 'root',
    onChange: [{ kind: 'overlay-root', enabled: on }],
  };
}

/** Each night, the hub's data to a USB stick labelled ESPACE-BACKUP, when one is plugged in. */
export function backupUnits(p: SpaceProfile): RenderedFile[] {
  if (!p.storage.backup.usb) return [];
  const service =
    header('#', "nightly backup of the hub's data to a USB stick") +
    `[Unit]\nDescription=Espace Connecté backup of the hub's data to a USB stick (when one is plugged in)\nAfter=local-fs.target\n\n` +
    `[Service]\nType=oneshot\nEnvironment=ESPACE_CONFIG=${CONFIG_PATH}\nWorkingDirectory=${p.install.appDir}\n` +
    `ExecStart=${cli(p)} backup usb --if-present --keep ${p.storage.backup.keep}\n` +
    `Nice=10\nIOSchedulingClass=idle\nTimeoutStartSec=2h\n`;
  const timer =
    header('#', 'schedule of the nightly backup') +
    `[Unit]\nDescription=Espace Connecté nightly backup at ${p.storage.backup.time}\n\n` +
    `[Timer]\nOnCalendar=*-*-* ${p.storage.backup.time}:00\nPersistent=true\nRandomizedDelaySec=10min\n\n` +
    `[Install]\nWantedBy=timers.target\n`;
  return [
    { path: `${UNIT_DIR}/espace-backup.service`, content: service, mode: 0o644, owner: 'root', onChange: [reload] },
    { path: `${UNIT_DIR}/espace-backup.timer`, content: timer, mode: 0o644, owner: 'root', onChange: [reload, restart('espace-backup.timer')] },
  ];
}
