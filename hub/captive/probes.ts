/**
 * What each operating system fetches to decide whether a network has Internet, and the exact
 * answer it expects when it does. Anything else (a redirect) makes it open the sign-in sheet.
 */
export interface ProbeAnswer {
  status: number;
  type?: string;
  body: string;
}

const APPLE: ProbeAnswer = { status: 200, type: 'text/html', body: '<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>' };

export const PROBES: Record<string, ProbeAnswer> = {
  // Android (and ChromeOS): connectivitycheck.gstatic.com, clients3.google.com …
  '/generate_204': { status: 204, body: '' },
  '/gen_204': { status: 204, body: '' },
  // Apple: captive.apple.com, www.apple.com/library/test/success.html
  '/hotspot-detect.html': APPLE,
  '/library/test/success.html': APPLE,
  // Windows: www.msftconnecttest.com, www.msftncsi.com
  '/connecttest.txt': { status: 200, type: 'text/plain', body: 'Microsoft Connect Test' },
  '/ncsi.txt': { status: 200, type: 'text/plain', body: 'Microsoft NCSI' },
  // Firefox: detectportal.firefox.com
  '/success.txt': { status: 200, type: 'text/plain', body: 'success\n' },
  '/canonical.html': { status: 200, type: 'text/html', body: '<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>' },
};

/** Windows opens this address in the browser once it sees a portal; after Entrer it goes to the portal's home. */
export const WINDOWS_REDIRECT = '/redirect';
