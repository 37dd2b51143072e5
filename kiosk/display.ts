import { execFile } from 'node:child_process';
import type { Logger } from '../content/index.js';
import type { ScreenState } from './policy/index.js';

/**
 * Turning the physical screen off and on. Pi OS Bookworm runs Wayland (labwc or wayfire):
 * `wlr-randr --output X --off`. Under X11, DPMS through `xset`. Where neither works the
 * kiosk only shows a black page (the main process does that in every case, so a screen that
 * cannot be switched off at least shows nothing).
 */
export interface DisplayBackend {
  readonly name: 'wlr-randr' | 'xset' | 'page-only';
  /** Why this backend was chosen (for the log and the technician screen). */
  readonly reason: string;
  set(state: ScreenState): Promise<void>;
}

/** The graphical session's variables the commands need; passed in, never read here. */
export interface DisplayEnv {
  WAYLAND_DISPLAY?: string;
  XDG_RUNTIME_DIR?: string;
  DISPLAY?: string;
  XAUTHORITY?: string;
  PATH?: string;
}

function run(cmd: string, args: string[], env: DisplayEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...env }, timeout: 5000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout + stderr);
    });
  });
}

/** Output names from `wlr-randr`'s listing: the lines that do not start with a space. */
export function parseWlrRandrOutputs(listing: string): string[] {
  const names: string[] = [];
  for (const line of listing.split('\n')) {
    const m = /^(\S+)(\s|$)/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}

function pageOnly(reason: string): DisplayBackend {
  return { name: 'page-only', reason, set: async () => {} };
}

async function wlrRandr(env: DisplayEnv, log: Logger): Promise<DisplayBackend | string> {
  if (!env.WAYLAND_DISPLAY) return 'no WAYLAND_DISPLAY';
  let outputs: string[];
  try {
    outputs = parseWlrRandrOutputs(await run('wlr-randr', [], env));
  } catch (e) {
    return `wlr-randr unusable: ${(e as Error).message}`;
  }
  if (outputs.length === 0) return 'wlr-randr lists no output';
  return {
    name: 'wlr-randr',
    reason: `outputs ${outputs.join(', ')}`,
    async set(state) {
      // Listed again each time: a screen plugged in after start is switched too.
      const now = parseWlrRandrOutputs(await run('wlr-randr', [], env).catch(() => ''));
      for (const output of now.length > 0 ? now : outputs) {
        await run('wlr-randr', ['--output', output, state === 'on' ? '--on' : '--off'], env).catch((err: unknown) =>
          log.warn({ err, output }, 'wlr-randr failed')
        );
      }
    },
  };
}

async function xset(env: DisplayEnv, log: Logger): Promise<DisplayBackend | string> {
  if (!env.DISPLAY) return 'no DISPLAY';
  let query: string;
  try {
    query = await run('xset', ['q'], env);
  } catch (e) {
    return `xset unusable: ${(e as Error).message}`;
  }
  // xset exits 0 even when the server lacks DPMS, so its report is read instead.
  if (!/DPMS is (Enabled|Disabled)/.test(query)) return 'the X server has no DPMS';
  const xs = (args: string[]) =>
    run('xset', args, env).then(
      () => undefined,
      (err: unknown) => log.warn({ err }, 'xset failed')
    );
  return {
    name: 'xset',
    reason: `X display ${env.DISPLAY}`,
    async set(state) {
      if (state === 'off') {
        await xs(['dpms', 'force', 'off']);
      } else {
        await xs(['dpms', 'force', 'on']);
        // During opening hours X's own screen saver must not blank the kiosk.
        await xs(['s', 'off']);
        await xs(['s', 'noblank']);
        await xs(['-dpms']);
      }
    },
  };
}

export async function detectDisplayBackend(env: DisplayEnv, log: Logger): Promise<DisplayBackend> {
  const reasons: string[] = [];
  for (const attempt of [wlrRandr, xset]) {
    const r = await attempt(env, log);
    if (typeof r !== 'string') return r;
    reasons.push(r);
  }
  return pageOnly(reasons.join('; '));
}
