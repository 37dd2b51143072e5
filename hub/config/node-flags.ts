/**
 * V8's young generation, in MB per semi-space. Node's default lets it grow to 16 MB per
 * semi-space, which stays resident after a load; measured on the hub at 10 000 docs after 200
 * phones and a flood of registrations (resident MB, hub CPU ms for the phones' load, one run
 * each on a shared machine: ±3 MB, ±10 %): 1 MB → 135–138 MB, 2210–2250 ms; 2 MB → 140 MB,
 * 2150 ms; 4 MB → 147 MB, 2060 ms; V8's default → 157 MB. One MB per semi-space costs no
 * CPU the phones' load shows and keeps a few MB less.
 */
export const YOUNG_GENERATION_MB = 1;

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
 * glibc's malloc for the hub (the systemd unit's environment, the bench's Pi-like runs): one
 * arena for every thread (LevelDB's reads and writes run on libuv's, V8 compiles and collects
 * on its own), and the top of the heap given back past 128 KB free (glibc otherwise raises
 * that threshold up to 64 MB as big blocks come and go). Measured after 200 phones and a
 * flood of registrations at 10 000 docs, three runs each in turn: 123–125 MB against 128 MB
 * with two arenas and glibc's threshold; hub CPU per phone request 1.55–1.70 against
 * 1.51–1.82 ms.
 */
export const HUB_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '131072' };
