import { join } from 'node:path';
import type { ClassWork } from './context.js';
import { MediaFetcher, referencedMedia } from './media-fetch.js';

/** Fetches the media files the hub's content refers to, by priority, within the budget. */
export const fetchMedia: ClassWork = async (ctx, central, transport) => {
  const fetcher = new MediaFetcher({
    centralUrl: central.base(),
    authorization: central.authorization(),
    fetch: transport.fetch,
    meter: ctx.meter,
    store: ctx.media,
    mediaDb: ctx.dbs.media,
    partialDir: join(ctx.config.dataDir, 'sync', 'partial'),
    chunkBytes: ctx.settings.mediaChunkKB * 1024,
  });
  const plan = await fetcher.plan(await referencedMedia(ctx.dbs.content));
  const cls = ctx.state.classes.media;
  let done = 0;
  try {
    for (const w of plan) {
      await fetcher.fetchOne(w);
      done += 1;
    }
  } finally {
    // What is left, counting the bytes already in partial files as fetched.
    const left = plan.slice(done);
    let bytes = 0;
    for (const w of left) bytes += w.size - (await fetcher.partialBytes(w.sha256));
    cls.pending = { items: left.length, bytes };
  }
  return done;
};
