import { z } from 'zod';
import { HubId, KioskSection, Language, LogLevel, Slug, TimeWindow } from '../../content/index.js';

export { TimeWindow };

export const TrustedKey = z
  .object({
    id: z.string().min(1).max(60),
    /** Ed25519 public key, SPKI PEM or 32 raw bytes in base64. */
    publicKey: z.string().min(40).max(1000),
  })
  .strict();

export const ConfigSchema = z
  .object({
    hubId: HubId,
    spaceName: z.string().trim().min(2).max(120),
    commune: Slug,
    region: Slug,
    languages: z.array(Language).min(1),
    dataDir: z.string().min(1),
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    /** The DNS name phones use (captive DNS answers it); `.local` is not resolved by Android. */
    dnsName: z.string().regex(/^[a-z0-9.-]+$/, 'must be a host name like "espace.home.arpa"'),
    /** mDNS instance name, advertised as <name>.local for laptops. */
    mdnsName: z.string().regex(/^[a-z0-9-]+$/, 'must be letters, digits and dashes, like "espace"'),
    mdns: z.boolean(),
    /** Address of the one interface to advertise on; "" for all (tests use 127.0.0.1). */
    mdnsInterface: z.union([z.literal(''), z.ipv4()]),
    logLevel: LogLevel,
    trustedKeys: z.array(TrustedKey),
    /** Trust the committed demo signing key (its private half is public): only the demo without a config file turns it on. */
    trustDemoKey: z.boolean(),
    seedDemo: z.boolean(),
    wifi: z.object({ ssid: z.string().min(1).max(32), passphrase: z.string().max(63).optional() }).strict(),
    limits: z
      .object({
        bodyBytes: z.number().int().positive(),
        submissionsPerMinute: z.number().int().positive(),
      })
      .strict(),
    central: z
      .object({
        url: z.url().optional(),
        username: z.string().optional(),
        password: z.string().optional(),
      })
      .strict(),
    sync: z
      .object({
        enabled: z.boolean(),
        intervalMinutes: z
          .number()
          .positive()
          .max(24 * 60),
        windows: z.array(TimeWindow),
        dailyBudgetMB: z.number().nonnegative(),
        /** First pause before retrying after a cut or a 5xx, doubled each time, with jitter. */
        retryBaseSeconds: z.number().positive().optional(),
        /** Tries of one class within a run before giving up until the next run. */
        attemptsPerRun: z.number().int().min(1).max(100).optional(),
        /** How often to test whether the uplink came back while central is unreachable. */
        probeSeconds: z.number().positive().optional(),
        /** Docs per replication batch: smaller batches lose less to a cut. */
        batchSize: z.number().int().min(1).max(1000).optional(),
        /** Size of one ranged media download. */
        mediaChunkKB: z.number().int().min(4).optional(),
      })
      .strict(),
    /** The facilitator and technician console: session lifetimes, login throttling, upload cap. */
    admin: z
      .object({
        sessionIdleMinutes: z
          .number()
          .positive()
          .max(24 * 60),
        sessionMaxHours: z
          .number()
          .positive()
          .max(7 * 24),
        /** Failed logins of one account from one address before each try must wait (1 s, 2 s, 4 s…). */
        loginFreeAttempts: z.number().int().min(1).max(100),
        /** The first such wait, doubled at each further failure. */
        loginFirstDelaySeconds: z.number().positive().max(3600),
        /** The longest such wait. */
        loginMaxDelayMinutes: z
          .number()
          .positive()
          .max(24 * 60),
        /** Failed logins from one address, whatever the names, within loginIpWindowMinutes. */
        loginIpFailures: z.number().int().min(1).max(1000),
        loginIpWindowMinutes: z
          .number()
          .positive()
          .max(24 * 60),
        /** Passwords hashed at once (each takes 32 MB and a thread LevelDB also needs). */
        loginHashConcurrency: z.number().int().min(1).max(2),
        /** Logins waiting for a hash beyond those; more get 429 at once. */
        loginHashQueue: z.number().int().min(0).max(100),
        uploadMaxMB: z.number().positive().max(4096),
      })
      .strict(),
    /** SMS through the GSM modem, by ModemManager over D-Bus (the modem NetworkManager also uses for the uplink). */
    sms: z
      .object({
        enabled: z.boolean(),
        /** "system" (ModemManager on the system bus) or a D-Bus address like "unix:path=/run/…" (tests). */
        bus: z.string().regex(/^(system|unix:.+|tcp:.+)$/, 'must be "system" or a D-Bus address like "unix:path=/run/dbus/system_bus_socket"'),
        /** Numbers written without it (8 digits in Mali) get this country code. */
        countryCode: z.string().regex(/^\d{1,3}$/, 'must be the digits of a country code, like "223"'),
        /** Notices wait outside these hours (answers to an SMS just received do not). */
        quietHours: TimeWindow,
        /** What the operator bills for one SMS part, and what may be spent a day, in `currency`. */
        costPerPart: z.number().nonnegative(),
        dailyBudget: z.number().nonnegative(),
        currency: z.string().min(1).max(10),
        deliveryReports: z.boolean(),
        /** How often the modem is asked for new messages and delivery reports, besides its signals. */
        pollSeconds: z.number().positive().max(3600),
      })
      .strict(),
    /**
     * Behind Debian's nginx on the Pi's port 80 (set by provisioning): media answers name the
     * file with X-Accel-Redirect and nginx sends its bytes with sendfile (hub/http/README.md).
     * Off for `make start`: the hub sends them itself.
     */
    mediaFront: z.boolean(),
    /**
     * HTTPS for phones: the hub's name is `<hubId>.<domain>` under a domain the programme owns
     * (see the README: setting up the domain). Off while `domain` is empty; with a domain, the
     * hub keeps a key and a CSR, and listens on `port` once a valid certificate is installed.
     */
    tls: z
      .object({
        domain: z.union([
          z.literal(''),
          z.string().regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, 'must be a domain name like "hubs.espace-mali.org"'),
        ]),
        port: z.number().int().min(0).max(65535),
        /** The port phones reach it on, when a firewall redirects (the Pi: 443 → port). */
        publicPort: z.number().int().min(1).max(65535).optional(),
      })
      .strict(),
    /** Members and the community (discussions, mentoring): PIN guessing, pre-moderation, flags, rate limits. */
    community: z
      .object({
        /** Wrong PINs of one member code from one phone before each try must wait (as the console's loginFreeAttempts). */
        pinFreeAttempts: z.number().int().min(1).max(100),
        /** The first such wait, doubled at each further wrong PIN (longer than the console's: a PIN is short). */
        pinFirstDelaySeconds: z.number().positive().max(3600),
        /** The longest such wait. */
        pinMaxDelayMinutes: z
          .number()
          .positive()
          .max(24 * 60),
        /** Wrong PINs of one code from every phone together before its tries wait too (a PIN has few values). */
        pinCodeFailures: z.number().int().min(1).max(1000),
        /** Wrong PINs from one phone, whatever the codes, within pinIpWindowMinutes. */
        pinIpFailures: z.number().int().min(1).max(1000),
        pinIpWindowMinutes: z
          .number()
          .positive()
          .max(24 * 60),
        /** A member session ends after this long without a page (a shared phone or the kiosk). */
        memberSessionIdleMinutes: z
          .number()
          .positive()
          .max(24 * 60),
        /** A member's first posts wait for a moderator at central; after this many are published, posts go out at once and are moderated after. */
        preModeratedPosts: z.number().int().min(0).max(100),
        /** Distinct members' flags that hide a post until a moderator looks at it (Decidim's "hide after N reports"). */
        flagsToHide: z.number().int().min(1).max(100),
        /** Posts, replies and questions per member per hour. */
        postsPerMemberPerHour: z.number().int().min(1).max(1000),
      })
      .strict(),
    kiosk: KioskSection,
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
