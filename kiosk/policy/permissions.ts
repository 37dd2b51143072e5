import { isHubUrl } from './origin.js';

/**
 * Permission requests from pages. Only one is ever granted: the microphone (audio only),
 * asked by the hub's own pages, for recorded voice messages to elected officials.
 */
export interface PermissionAsk {
  permission: string;
  /** The URL (request) or origin (check) that asks. */
  requestingUrl: string;
  /** For `media` requests: the kinds asked ('audio', 'video'); for checks, the one kind. */
  mediaTypes?: readonly string[];
}

export function isPermissionGranted(ask: PermissionAsk, origin: string): boolean {
  if (ask.permission !== 'media') return false;
  if (!isHubUrl(ask.requestingUrl, origin)) return false;
  const kinds = ask.mediaTypes ?? [];
  return kinds.length > 0 && kinds.every((k) => k === 'audio');
}
