import { COMPILE_CACHE_DIR, ESPACE_BIN, HUB_COMMAND_LINE_FLAGS, HUB_MALLOC_ENV, hubNodeOptions } from '../../../hub/index.js';
import type { SpaceProfile } from '../../profile/index.js';
import { HUB_DATA_DIR, parseCidr } from '../../profile/index.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';
import { NFT_PATH } from './nftables.js';

export const CONFIG_PATH = '/etc/espace/espace.yaml';
export const SECRETS_PATH = '/etc/espace/secrets.env';
/** The hub's validated configuration, kept by `espace start` (systemd's CacheDirectory: the hub's alone, never backed up). */
export const CONFIG_CACHE_PATH = '/var/cache/espace/config.json';
/** Where the golden image's first boot looks for a space profile. */
export const BOOT_PROFILE = '/boot/firmware/espace.yaml';
const UNIT_DIR = '/etc/systemd/system';

const reload = { kind: 'daemon-reload' } as const;

export function cli(p: SpaceProfile): string {
  return `${p.install.node} ${p.install.appDir}/${ESPACE_BIN}`;
}

/**
 * The hub: a dedicated user, no capabilities at all (it listens on an unprivileged port and
 * nftables sends port 80 to it), a read-only system except its state directory.
 * Type=notify: the hub says READY=1 once it listens (through systemd-notify, a child, hence
 * NotifyAccess=all), so a start slowed by a power cut's repairs is "activating", not a hub that
 * does not answer; the liveness timer's check, ordered after it, waits. No WatchdogSec: the
 * liveness check over HTTP covers a hang. Restart=always with no start limit brings it back
 * after any exit.
 */
export function hubUnit(p: SpaceProfile): RenderedFile {
  const mallocEnv = Object.entries(HUB_MALLOC_ENV)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const content =
    header('#', 'the Espace Connecté hub') +
    `[Unit]\nDescription=Espace Connecté hub (portal, storage, sync)\n` +
    `After=network.target espace-firewall.service\nWants=network.target\nRequiresMountsFor=${HUB_DATA_DIR}\n` +
    `# Never give up: the space has no one to restart it by hand.\nStartLimitIntervalSec=0\n\n` +
    `[Service]\nType=notify\nNotifyAccess=all\n# Opening the databases and the search index on a slow card after a power cut can take minutes.\nTimeoutStartSec=15min\n` +
    `User=espace\nGroup=espace\n` +
    `Environment=NODE_ENV=production ESPACE_CONFIG=${CONFIG_PATH}\n` +
    `# A heap cap under MemoryMax, and a small young generation: ~30 MB less resident memory on a Pi.\n` +
    `Environment="NODE_OPTIONS=${hubNodeOptions(Math.floor(p.hub.memoryMaxMB * 0.6)).join(' ')}"\n` +
    `# One malloc arena for every thread (LevelDB's run on libuv's), the heap's top given back past 128 KB free (hub/config/node-flags.ts).\n` +
    `Environment=${mallocEnv}\n` +
    `# Node >= 22.1 keeps the compiled modules here: loading them is most of a start on a Pi (Node 20 ignores it).\nEnvironment=NODE_COMPILE_CACHE=${HUB_DATA_DIR}/${COMPILE_CACHE_DIR}\n` +
    `# The configuration as validated last time, read back while nothing changed: zod loads only on a change (hub/config/cached.ts).\n` +
    `# Out of the data dir, so that backups leave its secrets out.\nEnvironment=ESPACE_CONFIG_CACHE=${CONFIG_CACHE_PATH}\n` +
    `# Secrets, read by systemd as root before it drops to the espace user.\nEnvironmentFile=-${SECRETS_PATH}\n` +
    `WorkingDirectory=${p.install.appDir}\n` +
    `# V8 flags Node refuses in NODE_OPTIONS: the old generation kept close to what it holds (hub/config/node-flags.ts).\n` +
    `ExecStart=${p.install.node} ${HUB_COMMAND_LINE_FLAGS.join(' ')} ${p.install.appDir}/${ESPACE_BIN} start --config ${CONFIG_PATH}\n` +
    `Restart=always\nRestartSec=2\nTimeoutStopSec=20\nKillMode=mixed\n` +
    `StateDirectory=espace\nStateDirectoryMode=0750\nCacheDirectory=espace\nCacheDirectoryMode=0700\nUMask=0027\n` +
    `MemoryMax=${p.hub.memoryMaxMB}M\nLimitNOFILE=8192\n` +
    `ProtectSystem=strict\nProtectHome=yes\nPrivateTmp=yes\nPrivateDevices=yes\nNoNewPrivileges=yes\n` +
    `CapabilityBoundingSet=\nAmbientCapabilities=\n` +
    `RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK\n` +
    `RestrictNamespaces=yes\nRestrictRealtime=yes\nRestrictSUIDSGID=yes\nLockPersonality=yes\nRemoveIPC=yes\n` +
    `ProtectKernelTunables=yes\nProtectKernelModules=yes\nProtectKernelLogs=yes\nProtectControlGroups=yes\n` +
    `ProtectClock=yes\nProtectHostname=yes\nProtectProc=invisible\n` +
    `SystemCallArchitectures=native\nSystemCallFilter=@system-service\nSystemCallErrorNumber=EPERM\n` +
    `# MemoryDenyWriteExecute is left off: V8 compiles JavaScript to machine code at run time.\n\n` +
    `[Install]\nWantedBy=multi-user.target\n`;
  return { path: `${UNIT_DIR}/espace-hub.service`, content, mode: 0o644, owner: 'root', onChange: [reload, restart('espace-hub.service')] };
}

/**
 * A liveness check from outside the hub: every 2 minutes /health must answer, or the hub is
 * restarted. Restart=always covers a hub that exits; this covers one that hangs (a wedged event
 * loop, a stuck database), which only a watchdog sees.
 */
export function hubWatchdogUnits(p: SpaceProfile): RenderedFile[] {
  const check =
    header('#', 'liveness check of the hub') +
    `[Unit]\nDescription=Espace Connecté hub liveness check (GET /health)\nAfter=espace-hub.service\nRequisite=espace-hub.service\n` +
    `OnFailure=espace-hub-restart.service\n\n` +
    `[Service]\nType=oneshot\nDynamicUser=yes\n` +
    `ExecStart=/usr/bin/curl --fail --silent --show-error --output /dev/null --max-time 20 --retry 2 --retry-delay 5 --retry-all-errors http://127.0.0.1:${p.hub.port}/health\n` +
    `ProtectSystem=strict\nProtectHome=yes\nPrivateTmp=yes\nPrivateDevices=yes\nNoNewPrivileges=yes\nCapabilityBoundingSet=\nRestrictAddressFamilies=AF_INET AF_INET6\n`;
  const restartUnit =
    header('#', 'restart of a hung hub') +
    `[Unit]\nDescription=Espace Connecté hub restart after a failed liveness check\n\n` +
    `[Service]\nType=oneshot\nExecStart=/usr/bin/systemctl restart espace-hub.service\n`;
  const timer =
    header('#', 'schedule of the liveness check') +
    `[Unit]\nDescription=Espace Connecté hub liveness check every 2 minutes\n\n` +
    `[Timer]\nOnBootSec=5min\nOnUnitActiveSec=2min\nAccuracySec=30s\n\n` +
    `[Install]\nWantedBy=timers.target\n`;
  const unit = (name: string, content: string): RenderedFile => ({ path: `${UNIT_DIR}/${name}`, content, mode: 0o644, owner: 'root', onChange: [reload] });
  return [
    unit('espace-hub-watchdog.service', check),
    unit('espace-hub-restart.service', restartUnit),
    { ...unit('espace-hub-watchdog.timer', timer), onChange: [reload, restart('espace-hub-watchdog.timer')] },
  ];
}

export function firewallUnit(p: SpaceProfile): RenderedFile {
  const content =
    header('#', "the firewall of the space's network") +
    `[Unit]\nDescription=Espace Connecté firewall (captive redirect, no forwarding from ${p.lan.interface})\n` +
    `DefaultDependencies=no\nBefore=network-pre.target shutdown.target\nWants=network-pre.target\nAfter=local-fs.target\nConflicts=shutdown.target\n\n` +
    `[Service]\nType=oneshot\nRemainAfterExit=yes\n` +
    `ExecStart=/usr/sbin/nft -f ${NFT_PATH}\nExecReload=/usr/sbin/nft -f ${NFT_PATH}\nExecStop=/usr/sbin/nft delete table inet espace\n\n` +
    `[Install]\nWantedBy=multi-user.target\n`;
  return { path: `${UNIT_DIR}/espace-firewall.service`, content, mode: 0o644, owner: 'root', onChange: [reload, restart('espace-firewall.service')] };
}

/** Gives wlan0 its address when hostapd (not NetworkManager) drives it. */
export function apAddressUnit(p: SpaceProfile): RenderedFile {
  const prefix = parseCidr(p.lan.subnet)!.prefix;
  const dev = `sys-subsystem-net-devices-${p.lan.interface}.device`;
  const content =
    header('#', `the hub's address on ${p.lan.interface} (hostapd mode)`) +
    `[Unit]\nDescription=Espace Connecté address on ${p.lan.interface}\nBindsTo=${dev}\nAfter=${dev} hostapd.service\nBefore=dnsmasq.service espace-hub.service\n\n` +
    `[Service]\nType=oneshot\nRemainAfterExit=yes\n` +
    `ExecStart=/usr/sbin/ip address replace ${p.lan.hubAddress}/${prefix} dev ${p.lan.interface}\nExecStart=/usr/sbin/ip link set ${p.lan.interface} up\n\n` +
    `[Install]\nWantedBy=multi-user.target\n`;
  return { path: `${UNIT_DIR}/espace-ap-address.service`, content, mode: 0o644, owner: 'root', onChange: [reload, restart('espace-ap-address.service')] };
}

/**
 * The golden image's first boot: apply the profile dropped on the boot partition, then move it
 * off that partition (FAT, readable by anyone holding the card) so no secret stays there.
 */
export function firstBootUnit(p: SpaceProfile): RenderedFile {
  const content =
    header('#', 'first boot of a golden image') +
    `[Unit]\nDescription=Espace Connecté first boot: apply ${BOOT_PROFILE}\nConditionPathExists=${BOOT_PROFILE}\n` +
    `After=local-fs.target systemd-sysusers.service\nBefore=espace-hub.service dnsmasq.service display-manager.service\n\n` +
    `[Service]\nType=oneshot\nRemainAfterExit=yes\n` +
    `ExecStart=${cli(p)} provision first-boot --profile ${BOOT_PROFILE}\n` +
    `StandardOutput=journal+console\nTimeoutStartSec=15min\n\n` +
    `[Install]\nWantedBy=multi-user.target\n`;
  return { path: `${UNIT_DIR}/espace-firstboot.service`, content, mode: 0o644, owner: 'root', onChange: [reload] };
}

/** The two service accounts, made by systemd-sysusers (at boot and by apply). */
export function sysusers(p: SpaceProfile): RenderedFile {
  const kiosk = p.kiosk.enabled
    ? // In the espace group: the kiosk reads the hub's configuration (its PIN), mode 0640.
      `u kiosk - "Espace Connecté kiosk" /home/kiosk /bin/bash\nm kiosk espace\nm kiosk video\nm kiosk render\nm kiosk input\n`
    : '';
  return {
    path: '/etc/sysusers.d/espace.conf',
    content: header('#', 'service accounts') + `u espace - "Espace Connecté hub" ${HUB_DATA_DIR} /usr/sbin/nologin\n` + kiosk,
    mode: 0o644,
    owner: 'root',
    onChange: [{ kind: 'sysusers' }],
  };
}

export function tmpfiles(p: SpaceProfile): RenderedFile {
  const kiosk = p.kiosk.enabled
    ? `d /home/kiosk 0750 kiosk kiosk -\nd /home/kiosk/.config 0755 kiosk kiosk -\nd /home/kiosk/.config/labwc 0755 kiosk kiosk -\n`
    : '';
  return {
    path: '/etc/tmpfiles.d/espace.conf',
    content: header('#', 'directories of the service accounts') + `d /etc/espace 0755 root root -\n` + kiosk,
    mode: 0o644,
    owner: 'root',
    onChange: [{ kind: 'tmpfiles' }],
  };
}

/**
 * The Pi has no real-time clock: fake-hwclock restores the last saved time at boot, and
 * timesyncd corrects it whenever the uplink lets it, saving often so a power cut loses little.
 */
export function timesyncd(): RenderedFile {
  return {
    path: '/etc/systemd/timesyncd.conf.d/espace.conf',
    content: header('#', 'time without a real-time clock') + `[Time]\nConnectionRetrySec=60\nSaveIntervalSec=300\nPollIntervalMaxSec=4096\n`,
    mode: 0o644,
    owner: 'root',
    onChange: [restart('systemd-timesyncd.service')],
  };
}
