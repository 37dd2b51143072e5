import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Scripts the main process runs inside the page (`webContents.executeJavaScript`): the wake
 * overlay and the page's part of an idle reset. They are files in kiosk/pages so tests run
 * the very same text in Chromium.
 */
export interface PageScripts {
  wakeOverlay: string;
  pageReset: string;
}

export function loadPageScripts(pagesDir: string): PageScripts {
  return {
    wakeOverlay: readFileSync(join(pagesDir, 'wake-overlay.js'), 'utf8'),
    pageReset: readFileSync(join(pagesDir, 'page-reset.js'), 'utf8'),
  };
}
