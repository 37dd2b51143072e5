import { z } from 'zod';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "08:00"');
/** A daily window, e.g. { from: "22:00", to: "06:00" } (may cross midnight). */
export const TimeWindow = z.object({ from: HHMM, to: HHMM }).strict();
export type TimeWindow = z.infer<typeof TimeWindow>;

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * The `kiosk:` section of the configuration file. The hub validates it with the rest of the
 * file (provisioning writes it), and the kiosk reads only this section and the log level.
 */
export const KioskSection = z
  .object({
    hubUrl: z.url(),
    idleSeconds: z.number().int().min(10).max(3600),
    openingHours: z.partialRecord(z.enum(DAYS), z.array(TimeWindow)),
    lowMemory: z.boolean(),
    pin: z.string().regex(/^\d{4,8}$/, 'must be 4 to 8 digits'),
  })
  .strict();
export type KioskSection = z.infer<typeof KioskSection>;
export type OpeningHours = KioskSection['openingHours'];

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const weekday = [{ from: '08:00', to: '18:00' }];

export const KIOSK_DEFAULTS: KioskSection = {
  hubUrl: 'http://127.0.0.1:8080',
  idleSeconds: 90,
  openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [{ from: '09:00', to: '13:00' }] },
  lowMemory: false,
  pin: '2468',
};

/** The kiosk's environment overrides (the hub reads the same ones). */
export const KIOSK_ENV = {
  ESPACE_LOG_LEVEL: { path: ['logLevel'], kind: 'string' },
  ESPACE_KIOSK_HUB_URL: { path: ['kiosk', 'hubUrl'], kind: 'string' },
  ESPACE_KIOSK_IDLE_SECONDS: { path: ['kiosk', 'idleSeconds'], kind: 'number' },
  ESPACE_KIOSK_LOW_MEMORY: { path: ['kiosk', 'lowMemory'], kind: 'boolean' },
} as const;
