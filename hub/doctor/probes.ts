import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Output of a system command, or null when it is missing or refuses here (no systemd, no NM…). */
export async function commandOutput(cmd: string, args: string[], timeoutMs = 5000): Promise<{ stdout: string; code: number } | null> {
  try {
    const { stdout } = await exec(cmd, args, { timeout: timeoutMs });
    return { stdout, code: 0 };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string; code?: number | string };
    if (err.code === 'ENOENT') return null;
    // systemctl and friends answer this way in a container or a chroot: nothing to read.
    if (/not been booted with systemd|Failed to connect to bus|Could not create NMClient|Host is down/.test(err.stderr ?? '')) return null;
    return { stdout: err.stdout ?? '', code: typeof err.code === 'number' ? err.code : 1 };
  }
}

/** Where the Raspberry Pi firmware tells throttling and under-voltage without vcgencmd. */
const THROTTLED_SYSFS = '/sys/devices/platform/soc/soc:firmware/get_throttled';

/** The firmware's throttled bit field, or null when this machine does not expose it. */
export async function readThrottled(): Promise<{ bits: number; source: string } | null> {
  const vc = await commandOutput('vcgencmd', ['get_throttled']);
  const m = vc && /throttled=(0x[0-9a-f]+)/i.exec(vc.stdout);
  if (m) return { bits: parseInt(m[1]!, 16), source: 'vcgencmd' };
  try {
    const text = (await readFile(THROTTLED_SYSFS, 'utf8')).trim();
    const bits = parseInt(text, 16);
    if (Number.isFinite(bits)) return { bits, source: THROTTLED_SYSFS };
  } catch {
    // not a Raspberry Pi, or not readable by this user
  }
  return null;
}

/** GET a JSON document with a time limit; never throws. */
export async function fetchJson(
  url: string,
  timeoutMs = 5000,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: unknown } | { error: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  } catch (e) {
    // fetch's network errors carry the system's code (ECONNREFUSED…) in their cause.
    const cause: unknown = e instanceof Error ? e.cause : undefined;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
    return { error: code ?? (e instanceof Error ? e.name : String(e)) };
  }
}
