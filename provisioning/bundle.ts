import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { ESPACE_BIN, projectRoot } from '../content/boot.js';

/**
 * The `espace` command bundled (`make build`, after tsc): tsc compiles and type-checks, then
 * esbuild bundles its output, from dist/provisioning/cli.js, into ESPACE_BIN (dist/bundle/
 * espace.js) and the chunks beside it. Node's ES module loader then resolves, reads, links and
 * compiles about 18 files before the first search instead of about 150 (our modules and the
 * packages', found through their package.json files): ~40 ms less CPU at every start here, more
 * on a Pi's core (provisioning/README.md, "The bundle"). Every `import()` is a chunk of the same
 * bundle (splitting), so a lazily loaded room shares its modules, and their state, with the rest.
 *
 * Left to Node, from node_modules: what the code loads with `createRequire` (PouchDB and LevelDB's
 * native binding, the YAML parser, negotiator, dbus-next: esbuild does not follow those), and
 * electron (the kiosk's, never in this process). pino is bundled: its worker files, for
 * transports, are found through provisioning/pino-paths.ts.
 *
 * esbuild is a devDependency: the machine that builds bundles, the Pi runs the bundle. tsc's
 * source maps are followed, so the bundle's maps point at the TypeScript; Node reads them with
 * --enable-source-maps only (~40 ms of CPU more at a start here): stack traces name the bundle's
 * chunk and line, and its comments name the module each part comes from.
 */
export const BUNDLE_DIR = dirname(ESPACE_BIN);
/** The bundle's inputs (relative to the project's root), for bundleIsFresh. */
const INPUTS = 'inputs.json';

/** Node's `require` in every chunk: esbuild's bundled CommonJS code requires built-ins and what stays in node_modules through it. */
const BANNER = "import { createRequire as __espaceCreateRequire } from 'node:module';\nconst require = __espaceCreateRequire(import.meta.url);";

/** esbuild's options for the bundle of `entry` (compiled JavaScript, under the project's root) into `outdir`, as `name`.js. */
export function bundleOptions(root: string, entry: string, outdir: string, name: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [{ in: entry, out: name }],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['leveldown', 'classic-level', 'node-gyp-build', 'electron'],
    banner: { js: BANNER },
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * Bundles the compiled command line into BUNDLE_DIR, replaced whole: written beside it, then
 * renamed in its place, so that no start reads a half-written bundle.
 */
export async function bundle(root: string = projectRoot()): Promise<void> {
  const { build } = await import('esbuild');
  const target = join(root, BUNDLE_DIR);
  const fresh = `${target}.new-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  const result = await build(bundleOptions(root, 'dist/provisioning/cli.js', fresh, 'espace'));
  writeFileSync(join(fresh, INPUTS), JSON.stringify(Object.keys(result.metafile?.inputs ?? {})));
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
  rmSync(old, { recursive: true, force: true });
}

/** Whether the bundle exists and none of its inputs (the compiled modules, the packages' files) changed since it was written. */
export function bundleIsFresh(root: string = projectRoot()): boolean {
  const inputsFile = join(root, BUNDLE_DIR, INPUTS);
  if (!existsSync(inputsFile) || !existsSync(join(root, ESPACE_BIN))) return false;
  const built = statSync(inputsFile).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as string[];
  return inputs.every((input) => existsSync(join(root, input)) && statSync(join(root, input)).mtimeMs <= built);
}

/** The bundle's path relative to the working directory, for messages. */
export function bundlePath(root: string = projectRoot()): string {
  return relative(process.cwd(), join(root, ESPACE_BIN)) || ESPACE_BIN;
}

// `node dist/provisioning/bundle.js` (make build).
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await bundle();
  process.stdout.write(`bundled ${bundlePath()}\n`);
}
