/**
 * Keys a visitor must not use: browser shortcuts (reload, back, zoom, print, find, new
 * window, devtools, quit). Plain typing, Enter, Tab, Backspace and arrows stay usable for
 * forms.
 */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  alt: boolean;
  meta: boolean;
  shift: boolean;
}

const ALWAYS_BLOCKED = new Set([
  'F1',
  'F3',
  'F5',
  'F6',
  'F7',
  'F10',
  'F11',
  'F12',
  'BrowserBack',
  'BrowserForward',
  'BrowserRefresh',
  'BrowserHome',
  'BrowserSearch',
  'ContextMenu',
  'Print',
  'ZoomIn',
  'ZoomOut',
]);

/** Text editing with Ctrl that forms need (copy, cut, paste, select all, undo). */
const EDITING = new Set(['a', 'c', 'v', 'x', 'z', 'y']);

export function isBlockedShortcut(input: KeyInput): boolean {
  if (ALWAYS_BLOCKED.has(input.key)) return true;
  if (input.meta) return true;
  if (input.alt) return true;
  if (input.control) return !(EDITING.has(input.key.toLowerCase()) && !input.shift);
  return false;
}
