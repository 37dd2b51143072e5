import { z } from 'zod';
import { AppError } from '../../../content/index.js';

/**
 * The console's configuration, validated once: defaults → the options of
 * `espace central console` → `ESPACE_CONSOLE_*` / `ESPACE_CENTRAL_URL` environment variables.
 */
export const ConsoleConfig = z.object({
  /** CouchDB as the console reaches it (beside it, usually http://127.0.0.1:5984). */
  centralUrl: z.url({ error: 'centralUrl must be a URL such as http://127.0.0.1:5984' }),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(5990),
  /** The audit log and uploads in progress. */
  dataDir: z.string().min(1).default('./var/console'),
  /** Central's public URL, as hubs reach it through the proxy, for an enrolled hub's config block (default: centralUrl). */
  publicUrl: z.url({ error: 'publicUrl must be a URL such as https://central.espace-mali.org' }).optional(),
  /** The programme's name in the header. */
  title: z.string().min(1).default('Espace Connecté · Bamako'),
  sessionIdleMinutes: z.number().positive().default(30),
  sessionMaxHours: z.number().positive().default(12),
  /** Failed sign-ins of one account from one address before each try must wait (1 s, 2 s, 4 s…), as on the hub. */
  loginFreeAttempts: z.number().int().min(1).max(100).default(3),
  loginFirstDelaySeconds: z.number().positive().max(3600).default(1),
  /** The longest wait between two tries of one account from one address. */
  loginMaxDelayMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(15),
  /** Failed sign-ins from one address, whatever the names, within loginIpWindowMinutes. */
  loginIpFailures: z.number().int().min(1).max(1000).default(20),
  loginIpWindowMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(15),
  uploadMaxMB: z.number().positive().default(500),
  /** The keys whose signed packs the console publishes (as a hub's trustedKeys). */
  trustedKeys: z.array(z.object({ id: z.string().min(1), publicKey: z.string().min(1) }).strict()).default([]),
  /** The committed demo key too: `espace central dev` only, never a real central. */
  trustDemoKey: z.boolean().default(false),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;
export type ConsoleConfigInput = z.input<typeof ConsoleConfig>;

const ENV: Record<string, [keyof ConsoleConfig, 'string' | 'number']> = {
  ESPACE_CENTRAL_URL: ['centralUrl', 'string'],
  ESPACE_CONSOLE_HOST: ['host', 'string'],
  ESPACE_CONSOLE_PORT: ['port', 'number'],
  ESPACE_CONSOLE_DATA_DIR: ['dataDir', 'string'],
  ESPACE_CONSOLE_TITLE: ['title', 'string'],
  ESPACE_CENTRAL_PUBLIC_URL: ['publicUrl', 'string'],
};

/** The configuration, or an error naming the wrong field and how to fix it. */
export function loadConsoleConfig(given: Partial<ConsoleConfigInput>, env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const merged: Record<string, unknown> = { ...given };
  for (const [name, [key, kind]] of Object.entries(ENV)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    merged[key] = kind === 'number' ? Number(v) : v;
  }
  const parsed = ConsoleConfig.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError(2, 'bad-console-config', `console configuration: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return parsed.data;
}
