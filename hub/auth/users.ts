import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AppError, describeIssues, isNotFound } from '../../content/index.js';

/**
 * `voice`: a volunteer who records and translates in the studio, and sees nothing else.
 * `official`: an elected official, who answers citizens' proposals (publicly, with a reason), and sees nothing else.
 */
export const ROLES = ['technician', 'facilitator', 'voice', 'official'] as const;
export const ROLE_NAMES: Record<(typeof ROLES)[number], string> = {
  technician: 'technicien',
  facilitator: 'animateur·rice',
  voice: 'voix (studio)',
  official: 'élu·e',
};
export type Role = (typeof ROLES)[number];

/** What anyone may see about an account: never the hash or the salt. */
export interface UserInfo {
  username: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

/**
 * scrypt cost: N=2^15, r=8 (32 MiB, about 0.1 s here and under 0.5 s on a Pi 4).
 * Stored with each hash so the cost can be raised later without breaking old accounts.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

const StoredUser = z
  .object({
    username: z.string(),
    role: z.enum(ROLES),
    salt: z.string(),
    hash: z.string(),
    cost: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }).strict(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Set by `espace user unlock`: failed logins before it no longer slow this account. */
    unlockedAt: z.string().optional(),
  })
  .strict();
type StoredUser = z.infer<typeof StoredUser>;
const UsersFile = z.object({ version: z.literal(1), users: z.array(StoredUser) }).strict();

export const Username = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{1,31}$/, 'a user name is 2–32 lowercase letters, digits, ".", "_" or "-", starting with a letter, for example "aminata"');
export const Password = z.string().min(8, 'a password needs at least 8 characters').max(200, 'a password is at most 200 characters');
const RoleSchema = z.enum(ROLES, { error: 'the role is "technician", "facilitator", "voice" or "official"' });

function scrypt(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError(422, 'invalid-account', describeIssues(r.error));
  return r.data;
}

const info = ({ username, role, createdAt, updatedAt }: StoredUser): UserInfo => ({ username, role, createdAt, updatedAt });

/**
 * The accounts of the technicians and facilitators of one hub, in `<dataDir>/users.json`
 * (mode 0600). Every change rewrites the file whole: temporary file, fsync, rename.
 */
export class UserStore {
  readonly path: string;
  /** A salt for the dummy hash computed for unknown names, so their timing matches real ones. */
  private readonly dummySalt = randomBytes(16);
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'users.json');
  }

  private async read(): Promise<StoredUser[]> {
    let text: string;
    try {
      text = await fsp.readFile(this.path, 'utf8');
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
    const parsed = UsersFile.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new AppError(
        500,
        'users-file-damaged',
        `${this.path} is damaged (${describeIssues(parsed.error)}); restore it from a backup or remove it and add the accounts again`
      );
    return parsed.data.users;
  }

  private async write(users: StoredUser[]): Promise<void> {
    const dir = dirname(this.path);
    await fsp.mkdir(dir, { recursive: true });
    const tmp = join(dir, `.users.${randomBytes(6).toString('hex')}.tmp`);
    const fh = await fsp.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(JSON.stringify({ version: 1, users }, null, 2) + '\n');
      await fh.sync();
      // Run as root by a technician, the file must still belong to the hub's account.
      if (process.getuid?.() === 0) {
        const owner = await fsp.stat(dir);
        await fh.chown(owner.uid, owner.gid);
      }
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, this.path);
    const d = await fsp.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  /** Changes run one at a time, so two quick edits never lose one another. */
  private change<T>(fn: (users: StoredUser[]) => Promise<{ users: StoredUser[]; result: T }>): Promise<T> {
    const next = this.queue.then(async () => {
      const { users, result } = await fn(await this.read());
      await this.write(users);
      return result;
    });
    this.queue = next.catch(() => {});
    return next;
  }

  private async hashed(password: string): Promise<Pick<StoredUser, 'salt' | 'hash' | 'cost'>> {
    const salt = randomBytes(16);
    const key = await scrypt(check(Password, password), salt, COST);
    return { salt: salt.toString('base64'), hash: key.toString('base64'), cost: { ...COST } };
  }

  async list(): Promise<UserInfo[]> {
    return (await this.read()).map(info).sort((a, b) => a.username.localeCompare(b.username));
  }

  async get(username: string): Promise<UserInfo | null> {
    const u = (await this.read()).find((x) => x.username === username);
    return u ? info(u) : null;
  }

  async add(username: string, role: Role, password: string): Promise<UserInfo> {
    check(Username, username);
    check(RoleSchema, role);
    const secret = await this.hashed(password);
    return this.change(async (users) => {
      if (users.some((u) => u.username === username))
        throw new AppError(409, 'user-exists', `an account "${username}" already exists; use "espace user passwd ${username}" to change its password`);
      const now = new Date().toISOString();
      const user: StoredUser = { username, role, ...secret, createdAt: now, updatedAt: now };
      return { users: [...users, user], result: info(user) };
    });
  }

  async setPassword(username: string, password: string): Promise<void> {
    const secret = await this.hashed(password);
    await this.change(async (users) => {
      const u = users.find((x) => x.username === username);
      if (!u) throw new AppError(404, 'no-such-user', `there is no account "${username}"; see "espace user list"`);
      Object.assign(u, secret, { updatedAt: new Date().toISOString() });
      return { users, result: undefined };
    });
  }

  /**
   * Forgets the failed logins of an account, from every address (the hub reads this before
   * each login, so it works while the hub runs). Does not end the account's sessions.
   */
  async unlock(username: string): Promise<void> {
    await this.change(async (users) => {
      const u = users.find((x) => x.username === username);
      if (!u) throw new AppError(404, 'no-such-user', `there is no account "${username}"; see "espace user list"`);
      // One millisecond on: a failure counted in this very millisecond is forgotten too.
      u.unlockedAt = new Date(Date.now() + 1).toISOString();
      return { users, result: undefined };
    });
  }

  /** When the account was last unlocked (ms since the epoch), 0 if never or unknown. */
  async unlockedAt(username: string): Promise<number> {
    const u = (await this.read()).find((x) => x.username === username);
    return u?.unlockedAt ? Date.parse(u.unlockedAt) : 0;
  }

  async remove(username: string): Promise<void> {
    await this.change(async (users) => {
      if (!users.some((u) => u.username === username)) throw new AppError(404, 'no-such-user', `there is no account "${username}"; see "espace user list"`);
      return { users: users.filter((u) => u.username !== username), result: undefined };
    });
  }

  /**
   * The account when the password is right, null otherwise. Comparison in constant time, and
   * an unknown name costs a hash too, so timing does not tell which names exist.
   */
  async verifyPassword(username: string, password: string): Promise<UserInfo | null> {
    const u = (await this.read()).find((x) => x.username === username);
    if (!u) {
      await scrypt(password, this.dummySalt, COST);
      return null;
    }
    const expected = Buffer.from(u.hash, 'base64');
    const actual = await scrypt(password, Buffer.from(u.salt, 'base64'), u.cost);
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? info(u) : null;
  }
}
