/*
 * CouchDB 3's replicator for the stand-in: `POST /_replicate` (one-shot or continuous) and the
 * jobs written as documents in `_replicator`, run with PouchDB 7's replication between HTTP
 * endpoints — CouchDB 3 accepts URLs only, never local names, and so does this.
 */

export type Endpoint = string | { url: string; auth?: { basic?: { username: string; password: string } }; headers?: Record<string, string> };

export interface ReplicationSpec {
  source: Endpoint;
  target: Endpoint;
  continuous?: boolean;
  selector?: Record<string, unknown>;
  doc_ids?: string[];
}

interface Replication extends Promise<{ docs_written: number; docs_read: number; doc_write_failures: number; last_seq: unknown }> {
  cancel(): void;
  on(event: string, fn: (info: unknown) => void): Replication;
}

export interface ReplicatorPouch {
  new (name: string, opts?: Record<string, unknown>): { close(): Promise<void> };
  replicate(source: unknown, target: unknown, opts: Record<string, unknown>): Replication;
  fetch(url: string, opts: { headers: Headers }): Promise<unknown>;
}

interface JobsDb {
  changes(opts: Record<string, unknown>): { on(e: string, fn: (x: never) => void): unknown; cancel(): void };
}

export class EndpointError extends Error {
  readonly status = 400;
  override readonly name = 'bad_request';
}

/** A PouchDB 7 database for one endpoint of a replication; local names are refused as CouchDB 3 does. */
export function endpointDb(Pouch: ReplicatorPouch, ep: Endpoint): { close(): Promise<void> } {
  const spec = typeof ep === 'string' ? { url: ep } : ep;
  // PouchDB hands on whatever its caller gave, null included, whatever the types say.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above
  if (!spec || typeof spec.url !== 'string' || !/^https?:\/\//.test(spec.url)) {
    throw new EndpointError('Local endpoints not supported since CouchDB 3.x: give the source and the target as URLs');
  }
  const url = new URL(spec.url);
  const auth = spec.auth?.basic ?? (url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined);
  url.username = url.password = '';
  const extra = spec.headers ?? {};
  return new Pouch(url.toString().replace(/\/$/, ''), {
    skip_setup: true,
    ...(auth ? { auth } : {}),
    fetch: (u: string, o: { headers: Headers }) => {
      for (const [k, v] of Object.entries(extra)) o.headers.set(k, v);
      return Pouch.fetch(u, o);
    },
  });
}

/** Starts one replication; the caller awaits it (one-shot) or keeps it to cancel (continuous). */
export function replicate(Pouch: ReplicatorPouch, spec: ReplicationSpec): { run: Replication; close(): Promise<void> } {
  const source = endpointDb(Pouch, spec.source);
  const target = endpointDb(Pouch, spec.target);
  // No PouchDB retry: its back-off timers (up to 10 min) outlive a cancel and keep the process up;
  // the jobs restart a failed replication themselves, on timers they clear.
  const run = Pouch.replicate(source, target, {
    live: Boolean(spec.continuous),
    retry: false,
    ...(spec.selector ? { selector: spec.selector } : {}),
    ...(spec.doc_ids ? { doc_ids: spec.doc_ids } : {}),
    batch_size: 500,
  });
  return { run, close: async () => void (await Promise.all([source.close(), target.close()]).catch(() => undefined)) };
}

interface JobState {
  doc_id: string;
  rev: string;
  state: 'running' | 'completed' | 'crashing' | 'failed';
  info: { docs_written: number; docs_read: number; doc_write_failures: number; error?: string };
  last_updated: string;
  stop(): void;
}

/** The jobs of `_replicator`: started at start-up and whenever a doc changes, cancelled when it is deleted. */
export class ReplicatorJobs {
  private readonly jobs = new Map<string, JobState>();
  private feed: { cancel(): void } | undefined;

  constructor(
    private readonly Pouch: ReplicatorPouch,
    private readonly db: JobsDb
  ) {}

  start(): void {
    const feed = this.db.changes({ live: true, since: 0, include_docs: true });
    feed.on('change', (c: { id: string; deleted?: boolean; doc?: Record<string, unknown> & { _rev: string } }) => this.onChange(c));
    feed.on('error', () => undefined);
    this.feed = feed;
  }

  private onChange(c: { id: string; deleted?: boolean; doc?: Record<string, unknown> & { _rev: string } }): void {
    if (c.id.startsWith('_design/')) return;
    const previous = this.jobs.get(c.id);
    if (previous && c.doc && previous.rev === c.doc._rev) return;
    previous?.stop();
    this.jobs.delete(c.id);
    if (c.deleted || !c.doc) return;
    const doc = c.doc as unknown as ReplicationSpec & { _rev: string };
    const job: JobState = {
      doc_id: c.id,
      rev: doc._rev,
      state: 'running',
      info: { docs_written: 0, docs_read: 0, doc_write_failures: 0 },
      last_updated: new Date().toISOString(),
      stop: () => undefined,
    };
    this.jobs.set(c.id, job);
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let current: { run: Replication; close(): Promise<void> } | undefined;
    let failures = 0;
    job.stop = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      current?.run.cancel();
      void current?.close();
    };
    const note = (info: unknown) => {
      const i = info as { docs_written?: number; docs_read?: number; doc_write_failures?: number };
      job.info = {
        docs_written: i.docs_written ?? job.info.docs_written,
        docs_read: i.docs_read ?? job.info.docs_read,
        doc_write_failures: i.doc_write_failures ?? job.info.doc_write_failures,
      };
      job.last_updated = new Date().toISOString();
    };
    const start = () => {
      timer = undefined;
      if (stopped) return;
      try {
        current = replicate(this.Pouch, doc);
      } catch (e) {
        job.state = 'failed';
        job.info.error = (e as Error).message;
        return;
      }
      const mine = current;
      void mine.run.on('change', (info) => {
        failures = 0;
        note(info);
      });
      mine.run.then(
        (r) => {
          note(r);
          job.state = 'completed';
          void mine.close();
        },
        (err: unknown) => {
          void mine.close();
          if (stopped || (err as { name?: string }).name === 'cancel') return;
          // As CouchDB's scheduler: a crashing job is retried, waiting longer each time (at most a minute).
          job.state = 'crashing';
          job.info.error = (err as Error).message;
          failures += 1;
          timer = setTimeout(start, Math.min(60_000, 250 * 2 ** failures));
          timer.unref();
        }
      );
    };
    start();
  }

  /** `GET /_scheduler/docs`, as CouchDB 3 answers it. */
  docs(): { total_rows: number; offset: number; docs: Omit<JobState, 'stop' | 'rev'>[] } {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- stop is left out, never called
    const docs = [...this.jobs.values()].map(({ stop: _s, rev: _r, ...rest }) => ({ ...rest, database: '_replicator' }));
    return { total_rows: docs.length, offset: 0, docs };
  }

  stop(): void {
    this.feed?.cancel();
    for (const j of this.jobs.values()) j.stop();
    this.jobs.clear();
  }
}
