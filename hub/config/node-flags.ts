/**
 * V8's young generation, in MB per semi-space. Node's default lets it grow to 16 MB per
 * semi-space, which stays resident after a load; measured on the hub at 10 000 docs after 200
 * phones and a flood of registrations (resident MB, hub CPU ms for the phones' load, one run
 * each on a shared machine: ±3 MB, ±10 %): 1 MB → 135–138 MB, 2210–2250 ms; 2 MB → 140 MB,
 * 2150 ms; 4 MB → 147 MB, 2060 ms; V8's default → 157 MB. One MB per semi-space costs no
 * CPU the phones' load shows and keeps a few MB less.
 */
export const YOUNG_GENERATION_MB = 1;

/** The V8 flags the hub runs with on a Pi (the systemd unit) and in the bench's Pi-like runs. */
export function hubNodeFlags(heapMB: number): string[] {
  return [`--max-old-space-size=${heapMB}`, `--max-semi-space-size=${YOUNG_GENERATION_MB}`];
}
