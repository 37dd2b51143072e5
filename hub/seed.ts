import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importInterrupted, isAppError, type PackTarget, type TrustConfig } from '../content/boot.js';
import type { Logger } from './log/index.js';

export interface ContentStartup {
  config: TrustConfig & { seedDemo: boolean };
  log: Logger;
  /** The content db counts its docs without reading them (info), which says whether to seed. */
  target: PackTarget & { content: { info(): Promise<{ doc_count: number }> } };
  /** The project root (projectRoot() of hub/config), where the demo pack and key are. */
  root: string;
}

/** Imports the demo pack: the built file, or else the sources built now with the demo key. */
async function seedDemo({ config, log, target, root }: ContentStartup): Promise<void> {
  const { buildPack, DEMO_KEY_ID, DEMO_KEYS_DIR, DEMO_PACK_DIR, DEMO_PACK_FILE, importPack, loadSigningKey, trustedKeysOf } =
    await import('../content/index.js');
  const file = join(root, DEMO_PACK_FILE);
  const trustedKeys = trustedKeysOf(config, root);
  if (!trustedKeys.some((k) => k.id === DEMO_KEY_ID)) {
    log.warn('seedDemo is on but trustDemoKey is off, so the demo pack (signed with the demo key) cannot be trusted: not seeding');
    return;
  }
  let tmp: string | undefined;
  try {
    let source = file;
    if (!existsSync(file)) {
      if (!existsSync(join(root, DEMO_PACK_DIR, 'pack.yaml'))) {
        log.warn({ file, sources: DEMO_PACK_DIR }, 'no demo pack to seed: neither the built pack nor its sources exist (run "make build")');
        return;
      }
      tmp = mkdtempSync(join(tmpdir(), 'espace-seed-'));
      source = join(tmp, 'kayes.espack');
      log.info({ sources: DEMO_PACK_DIR }, 'demo pack not built yet: building it from its sources');
      await buildPack(join(root, DEMO_PACK_DIR), loadSigningKey(join(root, DEMO_KEYS_DIR, `${DEMO_KEY_ID}.key`)), source);
    }
    const started = Date.now();
    const result = await importPack(source, target, { trustedKeys });
    log.info({ pack: result.name, version: result.version, docs: result.docs, media: result.media, ms: Date.now() - started }, 'seeded the demo content pack');
  } catch (e) {
    // A broken demo must not keep the hub from serving: say why and carry on empty.
    log.error(
      { reason: isAppError(e) ? e.reason : undefined, err: isAppError(e) ? undefined : e },
      `could not seed the demo pack: ${isAppError(e) ? e.details : (e as Error).message}`
    );
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * What the hub does with content at start-up, after storage opens and before it listens:
 * finish an import a crash interrupted, then seed the demo pack once, into an empty hub.
 */
export async function prepareContent(startup: ContentStartup): Promise<void> {
  const { log, target, config } = startup;
  try {
    // The pack format (tar, signatures, the content schemas) loads only when there is an import to finish.
    const resumed = (await importInterrupted(target.content))
      ? await (await import('../content/index.js')).resumePackImport(target)
      : { action: 'none' as const };
    if (resumed.action === 'rolled-forward')
      log.warn(
        { pack: resumed.name, version: resumed.version, written: resumed.written, removed: resumed.removed },
        'finished a pack import that was interrupted'
      );
    else if (resumed.action === 'dropped')
      log.warn({ pack: resumed.name, version: resumed.version }, 'dropped a pack import interrupted before it began writing; import the pack again');
  } catch (e) {
    log.error({ err: e }, 'could not finish an interrupted pack import; import the pack again');
  }
  if (!config.seedDemo) return;
  // The count PouchDB keeps, not allDocs: its streams would load before the first search.
  if ((await target.content.info()).doc_count === 0) await seedDemo(startup);
}
