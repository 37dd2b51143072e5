import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSec: number;
  /** Answers received in the run. */
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** How many answers of each non-2xx status, to tell a refusal from a failure. */
  statuses: Record<number, number>;
  bytesPerSec: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Drives `url` with autocannon and computes percentiles (incl. p95) from every response time. */
export async function load(
  url: string,
  opts: { connections: number; seconds: number; headers?: Record<string, string>; requests?: autocannon.Request[] }
): Promise<LoadResult> {
  const times: number[] = [];
  const statuses: Record<number, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: opts.connections, duration: opts.seconds, headers: opts.headers, requests: opts.requests, pipelining: 1 },
      (err: Error | null, res) => (err ? reject(err) : resolve(res))
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      times.push(responseTime);
      if (status < 200 || status > 299) statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  times.sort((a, b) => a - b);
  return {
    requestsPerSec: Math.round(result.requests.average),
    requests: result.requests.total,
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses,
    bytesPerSec: Math.round(result.throughput.average),
  };
}

/** Latency of one request at a time (what a single visitor feels), n samples. */
export async function sequential(url: string, n: number, headers?: Record<string, string>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    const res = await fetch(url, headers ? { headers } : undefined);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
