import { createRequire } from 'node:module';

/**
 * Where pino's worker files are, for its transports (`pino.transport`, run by thread-stream in
 * a worker thread): pino and thread-stream look for them next to their own modules, which in
 * the bundle (dist/bundle/, provisioning/bundle.ts) is a chunk's folder, so they are told
 * through the paths pino reads for bundlers (`globalThis.__bundlerPathsOverrides`). Resolved
 * at the first transport made, none at start; unbundled, they are the files pino would find.
 */
export const PINO_FILES = { 'pino-worker': 'pino/lib/worker.js', 'pino/file': 'pino/file.js', 'thread-stream-worker': 'thread-stream/lib/worker.js' } as const;

const require = createRequire(import.meta.url);
const overrides = {};
for (const [name, file] of Object.entries(PINO_FILES)) {
  // thread-stream is pino's dependency: found from pino, wherever npm put it.
  const resolve = (): string => (name === 'thread-stream-worker' ? createRequire(require.resolve('pino')).resolve(file) : require.resolve(file));
  Object.defineProperty(overrides, name, { enumerable: true, get: resolve });
}
if (!Object.prototype.hasOwnProperty.call(globalThis, '__bundlerPathsOverrides')) {
  Object.defineProperty(globalThis, '__bundlerPathsOverrides', { value: overrides, configurable: true, writable: true });
}
