import { z } from 'zod';
import { HubId, Language, Slug } from '../../content/index.js';
import { ConfigSchema, DEFAULTS, TimeWindow } from '../../hub/index.js';
import { inSubnet, ipToInt, parseCidr } from './ipv4.js';
import { GSM_OPERATORS } from './operators.js';

const IPv4 = z.ipv4({ error: 'must be an IPv4 address like "10.42.0.1"' });
const AbsolutePath = z.string().regex(/^\/[^\s]*$/, 'must be an absolute path like "/usr/local/bin/node"');
const Iface = z.string().regex(/^[a-z][a-z0-9]{1,14}$/, 'must be an interface name like "eth0", "eth1" or "wwan0"');
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** How the phones' Wi-Fi is made: an external access point on Ethernet, or the Pi's own radio. */
export const AP_MODES = ['external', 'networkmanager', 'hostapd'] as const;

export const AccessPoint = z
  .object({
    via: z.enum(AP_MODES, {
      error: 'must be "external" (an access point plugged into eth0, recommended), "networkmanager" or "hostapd" (the Pi\'s own wlan0)',
    }),
    ssid: z.string().min(1, 'cannot be empty').max(32, 'is at most 32 bytes'),
    /** WPA2 passphrase; absent means an open network (the usual choice for a public space). */
    passphrase: z
      .string()
      .regex(/^[\x20-\x7e]{8,63}$/, 'must be 8 to 63 printable ASCII characters (WPA2), or leave it out for an open network')
      .optional(),
    band: z.enum(['bg', 'a'], { error: 'must be "bg" (2.4 GHz, reaches further) or "a" (5 GHz)' }).default('bg'),
    channel: z.number().int().min(1).max(165).default(6),
    /** ISO 3166 code for the regulatory domain: Mali is ML. */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be a two-letter country code like "ML"')
      .default('ML'),
    isolateClients: z.boolean().default(true),
  })
  .strict()
  .refine((ap) => (ap.band === 'bg' ? ap.channel <= 13 : ap.channel >= 36), {
    error: 'channel must be 1–13 for band "bg" or 36 and above for band "a"',
    path: ['channel'],
  });

export const Lan = z
  .object({
    /** The interface the phones' network is on: eth0 with an external access point, wlan0 otherwise. */
    interface: Iface,
    subnet: z.string().refine((s) => parseCidr(s) !== null, 'must be an IPv4 network like "10.42.0.0/24" (prefix 8–30)'),
    hubAddress: IPv4,
    dhcp: z.object({ from: IPv4, to: IPv4, leaseHours: z.number().int().min(1).max(168).default(2) }).strict(),
  })
  .strict()
  .superRefine((lan, ctx) => {
    const subnet = parseCidr(lan.subnet);
    if (!subnet) return;
    const hosts: [string[], string][] = [
      [['hubAddress'], lan.hubAddress],
      [['dhcp', 'from'], lan.dhcp.from],
      [['dhcp', 'to'], lan.dhcp.to],
    ];
    for (const [path, ip] of hosts) {
      if (!inSubnet(ip, subnet)) ctx.addIssue({ code: 'custom', path, message: `must be a host address inside ${lan.subnet}` });
    }
    const hub = ipToInt(lan.hubAddress);
    const from = ipToInt(lan.dhcp.from);
    const to = ipToInt(lan.dhcp.to);
    if (from > to) ctx.addIssue({ code: 'custom', path: ['dhcp', 'to'], message: 'must come after dhcp.from' });
    if (hub >= from && hub <= to)
      ctx.addIssue({ code: 'custom', path: ['hubAddress'], message: "must be outside the DHCP range, or a phone could be given the hub's address" });
  });

/** The Raspberry Pi OS releases a profile renders for: Trixie (Debian 13, Imager's default) first. */
export const OS_RELEASES = ['trixie', 'bookworm'] as const;

/**
 * The way to the Internet, used only by the hub's own sync: a 3G/4G USB modem (driven by
 * ModemManager, which the hub's SMS feature shares) and/or a wired line. Both are metered by
 * default: NetworkManager then tells apps (and the hub) to spare data.
 */
export const Uplink = z
  .object({
    gsm: z
      .object({
        /** A Malian operator whose settings are known; or give apn (and username/password) yourself. */
        operator: z
          .enum(Object.keys(GSM_OPERATORS) as [keyof typeof GSM_OPERATORS, ...(keyof typeof GSM_OPERATORS)[]], {
            error: `must be one of ${Object.keys(GSM_OPERATORS).join(', ')}, or leave it out and give apn`,
          })
          .optional(),
        apn: z
          .string()
          .regex(/^[A-Za-z0-9.-]{1,63}$/, 'must be an access point name like "internet"')
          .optional(),
        username: z.string().max(64).optional(),
        password: z.string().max(64).optional(),
        /** The SIM's PIN, when the card asks for one (better: remove the PIN from the SIM on a phone). */
        simPin: z
          .string()
          .regex(/^\d{4,8}$/, "must be the SIM card's 4 to 8 digit PIN")
          .optional(),
        metered: z.boolean().default(true),
      })
      .strict()
      .refine((g) => g.operator !== undefined || g.apn !== undefined, { error: 'give operator (orange-mali, moov-malitel) or apn', path: ['apn'] })
      .optional(),
    wired: z
      .object({
        interface: Iface,
        metered: z.boolean().default(false),
      })
      .strict()
      .optional(),
  })
  .strict()
  .prefault({});

/** What keeps the SD card alive through daily power cuts. */
export const Storage = z
  .object({
    /**
     * A partition of its own for the hub's data (ext4), e.g. "LABEL=espace-data" or
     * "PARTUUID=…-03"; mounted on /var/lib/espace with noatime and a longer commit interval.
     * Required with readOnlyRoot, whose overlay would otherwise lose the data at each boot.
     */
    dataDevice: z
      .string()
      .regex(
        /^(?:LABEL|UUID|PARTUUID|PARTLABEL)=[A-Za-z0-9._-]+$|^\/dev\/[a-z0-9/]+$/,
        'must name a partition like "LABEL=espace-data", "PARTUUID=1234abcd-03" or "/dev/sda1"'
      )
      .optional(),
    /** The root file system read-only under a RAM overlay (raspi-config's overlay file system). */
    readOnlyRoot: z.boolean().default(false),
    /** Logs live in RAM (lost at a power cut, never written to the card), capped at this size. */
    journalMaxMB: z.number().int().min(8).max(256).default(32),
    /** Compressed swap in RAM instead of a swap file on the card, as a share of the memory. */
    zramPercent: z.number().int().min(0).max(100).default(50),
    /** The hardware watchdog reboots the Pi when the kernel or systemd hangs this long. */
    watchdogSeconds: z.number().int().min(5).max(15).default(15),
    backup: z
      .object({
        /** Each night the hub's data is copied to a USB stick labelled ESPACE-BACKUP, when one is plugged in. */
        usb: z.boolean().default(true),
        time: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "03:30"')
          .default('03:30'),
        keep: z.number().int().min(1).max(60).default(7),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

/** PINs anyone would try first: the demo's, one digit repeated, a run. */
function guessablePin(pin: string): boolean {
  if (pin === DEFAULTS.kiosk.pin) return true;
  if (/^(\d)\1+$/.test(pin)) return true;
  const digits = Array.from(pin, Number);
  const run = (step: number) => digits.every((d, i) => i === 0 || d === (digits[i - 1]! + step + 10) % 10);
  return run(1) || run(-1);
}

export const SpaceProfile = z
  .object({
    /** A demonstration hub: its well-known PIN and placeholder passwords are then allowed. */
    demo: z.boolean().default(false),
    os: z.enum(OS_RELEASES, { error: 'must be "trixie" (Raspberry Pi OS on Debian 13, the default) or "bookworm" (Debian 12)' }).default('trixie'),
    hubId: HubId,
    spaceName: z.string().trim().min(2).max(120),
    commune: Slug,
    region: Slug,
    hostname: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a host name like "espace-kayes-01" (letters, digits, dashes)'),
    languages: z.array(Language).min(1).default(['fr', 'bm', 'snk']),
    lan: Lan,
    accessPoint: AccessPoint,
    hub: z
      .object({
        port: z.number().int().min(1024, 'must be 1024 or above: the hub runs without privileges and nftables sends port 80 to it').max(65535).default(8080),
        dnsName: z
          .string()
          .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a DNS name like "espace.home.arpa"')
          .default('espace.home.arpa'),
        mdnsName: z
          .string()
          .regex(/^[a-z0-9-]+$/, 'must be letters, digits and dashes, like "espace"')
          .default('espace'),
        /** Who publishes _espace-hub._tcp: avahi-daemon (Raspberry Pi OS runs it), the hub itself, or nobody. */
        mdns: z.enum(['avahi', 'hub', 'off'], { error: 'must be "avahi", "hub" or "off"' }).default('avahi'),
        /** sshd on, reachable from the space's network only (never from the uplink); false turns it off. */
        ssh: z.boolean().default(true),
        memoryMaxMB: z.number().int().min(128).max(8192).default(1024),
        /** The programme's hub domain: the hub is https://<hubId>.<tlsDomain>/ once central has its certificate. */
        tlsDomain: z.union([z.literal(''), z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain name like "hubs.espace-mali.org"')]).default(''),
        /** Where the hub listens for HTTPS; nftables sends port 443 to it. */
        tlsPort: z.number().int().min(1024, 'must be 1024 or above: nftables sends port 443 to it').max(65535).default(8443),
      })
      .strict()
      .prefault({}),
    central: z
      .object({
        url: z.url({ error: 'must be a URL like "https://central.example.ml/"' }).optional(),
        username: z.string().min(1).max(120).optional(),
        password: z.string().min(1).max(200).optional(),
      })
      .strict()
      .refine((c) => (c.username === undefined) === (c.password === undefined), {
        error: 'give both username and password for central, or neither',
        path: ['password'],
      })
      .prefault({}),
    sync: z
      .object({
        enabled: z.boolean().default(true),
        intervalMinutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(30),
        windows: z.array(TimeWindow).default([{ from: '00:00', to: '23:59' }]),
        dailyBudgetMB: z.number().nonnegative().default(50),
      })
      .strict()
      .prefault({}),
    kiosk: z
      .object({
        enabled: z.boolean().default(true),
        idleSeconds: z.number().int().min(10).max(3600).default(90),
        openingHours: z.partialRecord(z.enum(DAYS), z.array(TimeWindow)).optional(),
        lowMemory: z.boolean().default(false),
        pin: z.string().regex(/^\d{4,8}$/, 'must be 4 to 8 digits'),
        /** The lightdm session the kiosk user logs into; default the labwc session of the profile's os. */
        session: z
          .string()
          .regex(/^[A-Za-z0-9._-]+$/, 'must be a session name like "rpd-labwc"')
          .optional(),
        /** The Electron binary (the golden image unpacks a checksum-checked release there). */
        electronPath: AbsolutePath.default('/opt/electron/electron'),
        /**
         * systemd's watchdog for the kiosk (it notifies through systemd-notify, which waits for
         * the manager to take each message since systemd 246). Off until tried on a Pi: with
         * Type=notify a READY=1 that never comes fails every start.
         */
        watchdogSeconds: z.number().int().min(20).max(600).optional(),
      })
      .strict(),
    trustedKeys: ConfigSchema.shape.trustedKeys.default([]),
    /** 32 random bytes in base64: encrypts USB bundles when the hub has no central credentials. */
    bundleKey: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (44 characters), for example from "openssl rand -base64 32"')
      .optional(),
    uplink: Uplink,
    storage: Storage,
    install: z
      .object({
        appDir: AbsolutePath.default('/opt/espace'),
        /** One Node path everywhere: the image puts the official Node 22/24 LTS build here. */
        node: AbsolutePath.default('/usr/local/bin/node'),
        /** .deb files apply installs from when there is no uplink (filled at image build). */
        packageCache: AbsolutePath.default('/var/cache/espace/debs'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((p, ctx) => {
    const wlan = p.lan.interface.startsWith('wlan');
    if (p.accessPoint.via !== 'external' && !wlan) {
      ctx.addIssue({
        code: 'custom',
        path: ['lan', 'interface'],
        message: `must be the Pi's radio (for example "wlan0") when accessPoint.via is "${p.accessPoint.via}"`,
      });
    }
    if (p.accessPoint.via === 'external' && wlan) {
      ctx.addIssue({
        code: 'custom',
        path: ['lan', 'interface'],
        message: 'must be the wired interface the access point is plugged into (for example "eth0") when accessPoint.via is "external"',
      });
    }
    if (p.uplink.wired && p.uplink.wired.interface === p.lan.interface) {
      ctx.addIssue({
        code: 'custom',
        path: ['uplink', 'wired', 'interface'],
        message: `must differ from lan.interface (${p.lan.interface}): the phones' network is never the way to the Internet`,
      });
    }
    if (p.storage.readOnlyRoot && !p.storage.dataDevice) {
      ctx.addIssue({
        code: 'custom',
        path: ['storage', 'dataDevice'],
        message:
          'is needed with readOnlyRoot: true, or the hub\'s data would live in the RAM overlay and vanish at each boot (give a partition like "LABEL=espace-data")',
      });
    }
    if (p.demo) return;
    // Outside the demo, nothing everyone knows may guard the hub.
    const demoOnly = 'is a placeholder everyone knows; choose your own (or set "demo: true" for a demonstration hub)';
    if (guessablePin(p.kiosk.pin))
      ctx.addIssue({
        code: 'custom',
        path: ['kiosk', 'pin'],
        message: `"${p.kiosk.pin}" is the demo's PIN or one anyone would guess; choose 4 to 8 digits of your own (or set "demo: true" for a demonstration hub)`,
      });
    const placeholder = /change[-_ ]?me/i;
    if (p.central.password && placeholder.test(p.central.password)) ctx.addIssue({ code: 'custom', path: ['central', 'password'], message: demoOnly });
    if (p.accessPoint.passphrase && placeholder.test(p.accessPoint.passphrase))
      ctx.addIssue({ code: 'custom', path: ['accessPoint', 'passphrase'], message: demoOnly });
    if (p.uplink.gsm?.password && placeholder.test(p.uplink.gsm.password))
      ctx.addIssue({ code: 'custom', path: ['uplink', 'gsm', 'password'], message: demoOnly });
  });

export type SpaceProfile = z.infer<typeof SpaceProfile>;
export type SpaceProfileInput = z.input<typeof SpaceProfile>;
