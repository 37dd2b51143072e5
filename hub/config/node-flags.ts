/**
 * V8's young generation, in MB per semi-space. A registration at 50 connections lives until
 * its group commit's fsync, and at Pi speed (a quarter of a core) that spans young-generation
 * collections: at 1 MB, 50 registrations' objects were copied at every collection and
 * promoted, and collecting took about a quarter of the hub's time. Measured at Pi speed
 * (pi-speed.ts's quota, 10 000 docs, registrations at 50 connections, 5 s each, sizes in
 * turn on the shared machine): collection pauses in the 5 s (--trace-gc) 1.1–1.3 s at 1 MB,
 * 0.6–0.8 s at 2 MB, 0.3–0.4 s at 3 MB and at 4 MB (two runs each); registrations a second,
 * median of five runs, 693 at 1 MB, 789 at 2 MB, 1 023 at 3 MB, 1 065 at 4 MB.
 * Two semi-spaces stay resident, against the budget of 120 MB after the memory bench's load
 * at 10 000 docs (runs in turn, the last six on a loaded machine): at Pi speed 110–118 MB at
 * 1 MB (five runs), 117 and 120 at 2 MB, 116–127 at 3 MB (five runs, two at 120 or more),
 * 118–119 at 4 MB; pinned 107–118, 109–110, 113–115, 115–116 MB. So 2 MB: half the
 * collections' cost within the noise of the budget; 3 MB would need a few MB found elsewhere.
 * For the phones' load alone (before registrations took the fast path), 1 MB → 135–138 MB,
 * 2 MB → 140 MB, 4 MB → 147 MB, V8's default (16 MB) → 157 MB resident.
 */
export const YOUNG_GENERATION_MB = 2;

/**
 * How far V8 lets the old generation grow past what a full collection left alive before the
 * next one, in percent. V8 picks 10–100 % from how fast it collects, so after a load the heap
 * stays that much above what it holds; 10 % (and V8's own minimum step of a few MB) keeps
 * it close. Measured after 200 phones and a flood of registrations (resident MB, hub CPU ms
 * for the phones' load, same run): 10 000 docs 128–130 MB against 131–134 MB, 50 000 docs
 * 176 MB against 186 MB; CPU 2160 against 2060–2180 ms and 4430 against 4520 ms, within the
 * noise of a shared machine.
 */
export const HEAP_GROWING_PERCENT = 10;

/**
 * The V8 flags the hub runs with on a Pi (the systemd unit) and in the bench's Pi-like runs,
 * on node's command line.
 */
export function hubNodeFlags(heapMB: number): string[] {
  return [...hubNodeOptions(heapMB), ...HUB_COMMAND_LINE_FLAGS];
}

/** Those of them Node accepts in NODE_OPTIONS (the unit's environment). */
export function hubNodeOptions(heapMB: number): string[] {
  return [`--max-old-space-size=${heapMB}`, `--max-semi-space-size=${YOUNG_GENERATION_MB}`];
}

/** Those Node refuses in NODE_OPTIONS ("not allowed"): on the command line only (the unit's ExecStart). */
export const HUB_COMMAND_LINE_FLAGS: readonly string[] = [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];

/**
 * Where Node >= 22.1 keeps the hub's compiled modules (NODE_COMPILE_CACHE), under the data dir:
 * the systemd unit sets it, and so do the bench's Pi-like runs, so that a start on Node 24 (the
 * Pi's) reads its modules' code back as a Pi's does. Node 20 ignores it.
 */
export const COMPILE_CACHE_DIR = 'cache/compile';

/**
 * glibc's malloc for the hub (the systemd unit's environment, the bench's Pi-like runs): one
 * arena for every thread (LevelDB's reads and writes run on libuv's, V8 compiles and collects
 * on its own), and the top of the heap given back past 128 KB free (glibc otherwise raises
 * that threshold up to 64 MB as big blocks come and go). Measured after 200 phones and a
 * flood of registrations at 10 000 docs, three runs each in turn: 123–125 MB against 128 MB
 * with two arenas and glibc's threshold; hub CPU per phone request 1.55–1.70 against
 * 1.51–1.82 ms.
 */
export const HUB_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '131072' };
