import { extname } from 'node:path';

/**
 * What the hub needs to know of a media file from its extension: its type and its sync
 * priority. Only types of the schema's allow-list (MEDIA_TYPES): no SVG, HTML or office
 * files, which a browser could run or which phones cannot open (export them as PDF).
 */
interface MediaKind {
  mime: string;
  /** 1 is fetched first over a thin uplink: narration is small and makes content usable by people who read little. */
  priority: 1 | 2 | 3 | 4;
}

const AUDIO = 1;
const IMAGE = 2;
const DOCUMENT = 3;
const VIDEO = 4;

const KINDS: Record<string, MediaKind> = {
  '.opus': { mime: 'audio/ogg', priority: AUDIO },
  '.ogg': { mime: 'audio/ogg', priority: AUDIO },
  '.oga': { mime: 'audio/ogg', priority: AUDIO },
  '.mp3': { mime: 'audio/mpeg', priority: AUDIO },
  '.m4a': { mime: 'audio/mp4', priority: AUDIO },
  '.wav': { mime: 'audio/wav', priority: AUDIO },
  '.png': { mime: 'image/png', priority: IMAGE },
  '.jpg': { mime: 'image/jpeg', priority: IMAGE },
  '.jpeg': { mime: 'image/jpeg', priority: IMAGE },
  '.webp': { mime: 'image/webp', priority: IMAGE },
  '.gif': { mime: 'image/gif', priority: IMAGE },
  '.avif': { mime: 'image/avif', priority: IMAGE },
  '.pdf': { mime: 'application/pdf', priority: DOCUMENT },
  '.txt': { mime: 'text/plain', priority: DOCUMENT },
  '.mp4': { mime: 'video/mp4', priority: VIDEO },
  '.webm': { mime: 'video/webm', priority: VIDEO },
};

export const MEDIA_EXTENSIONS = Object.keys(KINDS);

/** The mime type and priority of a media file, or undefined when its extension is not one the product serves. */
export function mediaKindOf(filename: string): MediaKind | undefined {
  return KINDS[extname(filename).toLowerCase()];
}
