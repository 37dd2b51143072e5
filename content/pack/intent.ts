import { isNotFound } from '../errors.js';

/** The plan of a pack import under way, in the content db: there until the import is wholly applied or dropped. */
export const INTENT_ID = '_local/pack-import';

/**
 * Whether a pack import was interrupted (its plan is still in the content db): the one read
 * start-up needs before it loads the pack format (tar, signatures), which only finishing that
 * import needs (resumePackImport).
 */
export async function importInterrupted(content: { get(id: string): Promise<unknown> }): Promise<boolean> {
  try {
    await content.get(INTENT_ID);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
