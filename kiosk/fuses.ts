import { AppError } from '../content/index.js';

/**
 * Electron fuses: switches compiled into the Electron binary, flipped once after installing
 * it (and again after each Electron upgrade, which brings a fresh binary). They turn off the
 * ways to run arbitrary code through the kiosk's Electron: as plain Node
 * (ELECTRON_RUN_AS_NODE), through NODE_OPTIONS, or through --inspect.
 * The asar fuses stay off: the kiosk runs from dist/ rather than a packaged app.asar, and
 * turning OnlyLoadAppFromAsar on would stop it from starting.
 */
export const KIOSK_FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: false,
  OnlyLoadAppFromAsar: false,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
} as const;

export type FuseName = keyof typeof KIOSK_FUSES;

/** Flips the kiosk's fuses in the Electron binary at `electronPath`; returns the wire read back. */
export async function flipKioskFuses(electronPath: string): Promise<Record<string, string>> {
  let fuses: typeof import('@electron/fuses');
  try {
    fuses = await import('@electron/fuses');
  } catch {
    throw new AppError(1, 'fuses-missing', 'the @electron/fuses package is not installed; run "npm install --no-save @electron/fuses" and try again');
  }
  const { flipFuses, getCurrentFuseWire, FuseV1Options, FuseVersion } = fuses;
  const config: Record<number, boolean> = {};
  for (const [name, value] of Object.entries(KIOSK_FUSES)) config[FuseV1Options[name as FuseName]] = value;
  try {
    await flipFuses(electronPath, { version: FuseVersion.V1, ...config });
    const wire = await getCurrentFuseWire(electronPath);
    const out: Record<string, string> = {};
    for (const name of Object.keys(KIOSK_FUSES) as FuseName[]) {
      const state = wire[FuseV1Options[name]];
      out[name] = state === undefined ? 'absent' : String.fromCharCode(state) === '1' ? 'on' : String.fromCharCode(state) === '0' ? 'off' : 'removed';
    }
    return out;
  } catch (e) {
    throw new AppError(1, 'fuses-failed', `cannot set the fuses of ${electronPath}: ${(e as Error).message}`);
  }
}
