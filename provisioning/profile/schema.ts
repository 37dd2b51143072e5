import { z } from 'zod';
import { HubId, Language, Slug } from '../../content/index.js';
import { ConfigSchema, TimeWindow } from '../../hub/index.js';
import { inSubnet, ipToInt, parseCidr } from './ipv4.js';

const IPv4 = z.ipv4({ message: 'must be an IPv4 address like "10.42.0.1"' });
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** How the phones' Wi-Fi is made: an external access point on Ethernet, or the Pi's own radio. */
export const AP_MODES = ['external', 'networkmanager', 'hostapd'] as const;

export const AccessPoint = z
  .object({
    via: z.enum(AP_MODES, {
      message: 'must be "external" (an access point plugged into eth0, recommended), "networkmanager" or "hostapd" (the Pi\'s own wlan0)',
    }),
    ssid: z.string().min(1, 'cannot be empty').max(32, 'is at most 32 bytes'),
    /** WPA2 passphrase; absent means an open network (the usual choice for a public space). */
    passphrase: z.string().regex(/^[\x20-\x7e]{8,63}$/, 'must be 8 to 63 printable ASCII characters (WPA2), or leave it out for an open network').optional(),
    band: z.enum(['bg', 'a'], { message: 'must be "bg" (2.4 GHz, reaches further) or "a" (5 GHz)' }).default('bg'),
    channel: z.number().int().min(1).max(165).default(6),
    /** ISO 3166 code for the regulatory domain: Mali is ML. */
    country: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code like "ML"').default('ML'),
    isolateClients: z.boolean().default(true),
  })
  .strict()
  .refine((ap) => (ap.band === 'bg' ? ap.channel <= 13 : ap.channel >= 36), {
    message: 'channel must be 1–13 for band "bg" or 36 and above for band "a"',
    path: ['channel'],
  });

export const Lan = z
  .object({
    /** The interface the phones' network is on: eth0 with an external access point, wlan0 otherwise. */
    interface: z.string().regex(/^[a-z][a-z0-9]{1,14}$/, 'must be an interface name like "eth0" or "wlan0"'),
    subnet: z.string().refine((s) => parseCidr(s) !== null, 'must be an IPv4 network like "10.42.0.0/24" (prefix 8–30)'),
    hubAddress: IPv4,
    dhcp: z
      .object({ from: IPv4, to: IPv4, leaseHours: z.number().int().min(1).max(168).default(2) })
      .strict(),
  })
  .strict()
  .superRefine((lan, ctx) => {
    const subnet = parseCidr(lan.subnet);
    if (!subnet) return;
    const hosts: [string[], string][] = [[['hubAddress'], lan.hubAddress], [['dhcp', 'from'], lan.dhcp.from], [['dhcp', 'to'], lan.dhcp.to]];
    for (const [path, ip] of hosts) {
      if (!inSubnet(ip, subnet)) ctx.addIssue({ code: 'custom', path, message: `must be a host address inside ${lan.subnet}` });
    }
    const hub = ipToInt(lan.hubAddress);
    const from = ipToInt(lan.dhcp.from);
    const to = ipToInt(lan.dhcp.to);
    if (from > to) ctx.addIssue({ code: 'custom', path: ['dhcp', 'to'], message: 'must come after dhcp.from' });
    if (hub >= from && hub <= to) ctx.addIssue({ code: 'custom', path: ['hubAddress'], message: 'must be outside the DHCP range, or a phone could be given the hub\'s address' });
  });

export const SpaceProfile = z
  .object({
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
        dnsName: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a DNS name like "espace.home.arpa"').default('espace.home.arpa'),
        mdnsName: z.string().regex(/^[a-z0-9-]+$/, 'must be letters, digits and dashes, like "espace"').default('espace'),
        /** Who publishes _espace-hub._tcp: avahi-daemon (Raspberry Pi OS runs it), the hub itself, or nobody. */
        mdns: z.enum(['avahi', 'hub', 'off'], { message: 'must be "avahi", "hub" or "off"' }).default('avahi'),
        /** Let technicians reach ssh from the space's network. */
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
        url: z.url({ message: 'must be a URL like "https://central.example.ml/"' }).optional(),
        username: z.string().min(1).max(120).optional(),
        password: z.string().min(1).max(200).optional(),
      })
      .strict()
      .refine((c) => (c.username === undefined) === (c.password === undefined), {
        message: 'give both username and password for central, or neither',
        path: ['password'],
      })
      .prefault({}),
    sync: z
      .object({
        enabled: z.boolean().default(true),
        intervalMinutes: z.number().positive().max(24 * 60).default(30),
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
        /** The lightdm session the kiosk user logs into (labwc on Raspberry Pi OS Bookworm). */
        session: z.string().regex(/^[A-Za-z0-9._-]+$/).default('LXDE-pi-labwc'),
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
    bundleKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (44 characters), for example from "openssl rand -base64 32"').optional(),
    install: z
      .object({
        appDir: z.string().regex(/^\/[^\s]*$/, 'must be an absolute path').default('/opt/espace'),
        node: z.string().regex(/^\/[^\s]*$/, 'must be an absolute path').default('/usr/bin/node'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((p, ctx) => {
    const wlan = p.lan.interface.startsWith('wlan');
    if (p.accessPoint.via !== 'external' && !wlan) {
      ctx.addIssue({ code: 'custom', path: ['lan', 'interface'], message: `must be the Pi's radio (for example "wlan0") when accessPoint.via is "${p.accessPoint.via}"` });
    }
    if (p.accessPoint.via === 'external' && wlan) {
      ctx.addIssue({ code: 'custom', path: ['lan', 'interface'], message: 'must be the wired interface the access point is plugged into (for example "eth0") when accessPoint.via is "external"' });
    }
  });

export type SpaceProfile = z.infer<typeof SpaceProfile>;
export type SpaceProfileInput = z.input<typeof SpaceProfile>;
