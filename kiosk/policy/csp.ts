/**
 * The Content-Security-Policy of the kiosk's own pages: nothing but their own files, no
 * inline script or style, no framing, no forms leaving the page.
 */
export const KIOSK_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
