import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin, SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';
import { asciiBundleFile } from './bundle-ascii.js';
import { BUNDLE_BUILD_ID, ESPACE_BIN, isNotFound, projectRoot } from '../content/boot.js';

/**
 * The `espace` command bundled (`make build`, after tsc): tsc compiles and type-checks, then
 * esbuild bundles its output, from dist/provisioning/cli.js, into ESPACE_BIN (dist/bundle/
 * espace.js) and the chunks beside it. Node's ES module loader then resolves, reads, links and
 * compiles about 18 files before the first search instead of about 150 (our modules and the
 * packages', found through their package.json files): 30–90 ms less CPU by the first search
 * here, on Node 20 and on Node 24 (provisioning/README.md, "The bundle"). Every `import()` is a
 * chunk of the same bundle (splitting), so a lazily loaded room shares its modules, and their
 * state, with the rest. esbuild bundles tsc's JavaScript rather than the TypeScript: one
 * compiler's output for the bundle and for the unit tests that import dist/, and the bundle's
 * source maps chained through tsc's.
 *
 * Left to Node, from node_modules: what the code loads with `createRequire` (PouchDB and LevelDB's
 * native binding, the YAML parser, negotiator, dbus-next: esbuild does not follow those),
 * electron (the kiosk's, never in this process) and @electron/fuses (optional, maybe absent, and
 * CommonJS: an `import()` of a CommonJS module gives only its default export from esbuild's
 * chunks, where `espace kiosk fuses` reads named ones). pino is bundled: its worker files, for
 * transports, are found through provisioning/pino-paths.ts.
 *
 * esbuild is a devDependency: the machine that builds bundles, the Pi runs the bundle. tsc's
 * source maps are followed, so the bundle's maps point at the TypeScript; the hub runs without
 * them (--enable-source-maps is ~40 ms of CPU more at a start here) and mapStack maps a trace
 * on demand.
 */
export const BUNDLE_DIR = dirname(ESPACE_BIN);
/** The bundle's inputs (relative to the project's root), for bundleIsFresh. */
const INPUTS = 'inputs.json';
const nodeRequire = createRequire(import.meta.url);

/** Node's `require` in every chunk: esbuild's bundled CommonJS code requires built-ins and what stays in node_modules through it. */
const BANNER = "import { createRequire as __espaceCreateRequire } from 'node:module';\nconst require = __espaceCreateRequire(import.meta.url);";

/**
 * Node's built-in modules, imported by the code as ES modules, taken through `require` instead.
 * Node's ES module face of a built-in reads every one of its exports when it is made, getters
 * included: on Node 24 (the Pi's), `node:http`'s loads undici, http2 and tls, and
 * `import … from 'node:http'` cost the hub ~40 ms of CPU before its first search here (390
 * against 410–430 ms, median of 11, Node 24 with its compile cache), nothing on Node 20. The
 * same module object either way: `require` is Node's own. Static imports only: an `import()`
 * of a CommonJS module gives its default export alone in esbuild's chunks, and a built-in
 * imported late (node:child_process at systemd's first notification) costs nothing at start.
 *
 * Each stand-in is an ES module that exports the built-in's names one by one, each read only
 * where it is imported (the others are dropped as unused), one stand-in per importing module.
 * A CommonJS stand-in (`module.exports = require(…)`) made esbuild copy every property of the
 * built-in into an object of its own (`__toESM`), and on Node 22 reading the descriptors of
 * `node:util`'s lazy exports loads them. CPU time when the first request arrives: 150–161 ms
 * against 174–186 on Node 20, 192–230 against 227–264 on Node 22, 208–216 against 231–321 on
 * Node 24 (provisioning/README.md, "The bundle").
 */
const builtinsThroughRequire: Plugin = {
  name: 'builtins-through-require',
  setup(build) {
    const root = build.initialOptions.absWorkingDir ?? process.cwd();
    // One stand-in per importing module, in that module's chunk: a stand-in shared by several
    // chunks would read, when the first loads, every name any of them imports (`fs.promises`
    // loads node:fs/promises, ~13 ms at a start on Node 22).
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind === 'import-statement' && isBuiltin(args.path)
        ? { path: `${args.path}${IMPORTED_BY}${relative(root, args.importer)}`, namespace: 'builtin' }
        : undefined
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: builtinStandIn(args.path.slice(0, args.path.indexOf(IMPORTED_BY))),
      loader: 'js',
    }));
  },
};

/** Between a built-in's name and its importer's path, in a stand-in's path. */
const IMPORTED_BY = ' imported by ';

/** Names an ES module can export with `export const`: the built-in's exports that are not. */
const EXPORTABLE = /^[A-Za-z_$][\w$]*$/;

/** Each built-in's stand-in, made once per build process: hundreds of modules import a few built-ins. */
const standIns = new Map<string, string>();

/**
 * The stand-in of built-in `name`: its default export, and each of its exports as the built-in
 * has it, read by a call marked pure so that esbuild drops the exports nobody imports. The names
 * are those of the Node that bundles: one the code imports and it lacks fails the build.
 */
function builtinStandIn(name: string): string {
  let text = standIns.get(name);
  if (text === undefined) {
    const lines = [`const m = require(${JSON.stringify(name)});`, 'const pick = (k) => m[k];', 'export default m;'];
    for (const key of Object.getOwnPropertyNames(nodeRequire(name) as object)) {
      if (key !== 'default' && EXPORTABLE.test(key)) lines.push(`export const ${key} = /* @__PURE__ */ pick(${JSON.stringify(key)});`);
    }
    standIns.set(name, (text = lines.join('\n')));
  }
  return text;
}

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
    external: ['leveldown', 'classic-level', 'node-gyp-build', 'electron', '@electron/fuses'],
    banner: { js: BANNER },
    plugins: [builtinsThroughRequire],
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
  asciiBundleDir(fresh);
  // The files read (not the built-ins' stand-ins, "builtin:node:http"…).
  const files = Object.keys(result.metafile?.inputs ?? {}).filter((input) => existsSync(join(root, input)));
  writeFileSync(join(fresh, INPUTS), JSON.stringify(files));
  writeFileSync(join(fresh, BUNDLE_BUILD_ID), buildId(fresh));
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
  rmSync(old, { recursive: true, force: true });
}

/** Every chunk in `dir` made ASCII, with its source map (bundle-ascii.ts says why). */
function asciiBundleDir(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const js = readFileSync(join(dir, name), 'utf8');
    const mapFile = join(dir, `${name}.map`);
    const map = existsSync(mapFile) ? readFileSync(mapFile, 'utf8') : undefined;
    const ascii = asciiBundleFile({ js, ...(map === undefined ? {} : { map }) });
    if (ascii.js === js) continue;
    writeFileSync(join(dir, name), ascii.js);
    if (ascii.map !== undefined) writeFileSync(mapFile, ascii.map);
  }
}

/** The SHA-256 of every file of the bundle in `dir`, names and bytes, in name order. */
function buildId(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name === BUNDLE_BUILD_ID) continue;
    hash.update(`${name}\0`);
    hash.update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex');
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

/** A place in the bundle as stack traces print it: `…/dist/bundle/chunk-X.js:line:column`, with or without `file://`. */
const BUNDLE_PLACE = /(?:file:\/\/)?(\/[^\s()"'\\]*\/dist\/bundle\/[\w.-]+\.js):(\d+):(\d+)/g;

/**
 * Stack traces from the bundle mapped to the TypeScript on demand (the hub runs without
 * --enable-source-maps, which costs start-up time, and Node 20 maps only the modules loaded
 * after it is enabled): every place in the bundle in `text` (a trace, log lines) becomes the
 * source file, relative to the project's root, with its line and column. Places without a map
 * are left as they are. `node dist/provisioning/bundle.js --map-stack < log` does it to a log.
 */
export function mapStack(text: string, root: string = projectRoot()): string {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string): SourceMap | null => {
    if (!maps.has(file)) {
      let map: SourceMap | null = null;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      maps.set(file, map);
    }
    return maps.get(file) ?? null;
  };
  return text.replace(BUNDLE_PLACE, (place, file: string, line: string, column: string) => {
    const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry)) return place;
    const source = relative(root, resolve(dirname(file), entry.originalSource));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

// `node dist/provisioning/bundle.js` (make build); with --map-stack, maps its input (mapStack).
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  if (process.argv[2] === '--map-stack') {
    process.stdout.write(mapStack(readFileSync(0, 'utf8')));
  } else {
    await bundle();
    process.stdout.write(`bundled ${bundlePath()}\n`);
  }
}
