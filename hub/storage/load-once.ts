/**
 * A view of stored docs built once, the first time it is needed; a failed load (a disk error
 * at start) is tried again by the next caller instead of being remembered.
 */
export interface LoadOnce {
  (): Promise<void>;
  /** Whether a load has begun (a view never loaded has nothing to save). */
  readonly started: boolean;
}

export function loadOnce(load: () => Promise<void>): LoadOnce {
  let loaded: Promise<void> | undefined;
  const once = () =>
    (loaded ??= load().catch((e: unknown) => {
      loaded = undefined;
      throw e;
    }));
  return Object.defineProperty(once, 'started', { get: () => loaded !== undefined }) as LoadOnce;
}
