import { isIP } from 'node:net';
import { join } from 'node:path';
import { Router, type Request } from 'express';
import type { HubDeps } from '../deps.js';
import { PROBES, WINDOWS_REDIRECT } from './probes.js';
import { CaptiveState } from './state.js';

/** Paths that stay reachable under any Host: clients of the API and replication use the IP. */
const ANY_HOST = /^\/(api|media|db|static|captive-portal)(\/|$)|^\/(sw\.js|manifest\.webmanifest)$/;

/** Where the RFC 8908 captive-portal API answers (DHCP option 114 carries https://<name>/captive-portal/api). */
export const CAPTIVE_API_PATH = '/captive-portal/api';

function clientIp(req: Request): string {
  return (req.ip ?? '').replace(/^::ffff:/, '');
}

/**
 * The captive portal, mounted before everything else: answers the connectivity probes of
 * Android, Apple, Windows and Firefox whatever the Host (the captive DNS sends every name
 * here), in two steps — redirected to the welcome page until the phone taps *Entrer*, then
 * the byte-exact "online" answer so the phone keeps the Wi-Fi; and sends any unknown host to
 * the portal.
 */
export function captiveRouter(deps: HubDeps, state = new CaptiveState(join(deps.config.dataDir, 'captive.json'))): Router {
  const router = Router();
  const { config } = deps;
  const portal = `http://${config.dnsName}`;
  const ownNames = new Set(['localhost', config.dnsName, `${config.mdnsName}.local`, ...(config.tls.domain ? [`${config.hubId}.${config.tls.domain}`] : [])]);
  try {
    ownNames.add(new URL(config.kiosk.hubUrl).hostname);
  } catch {
    // hubUrl is validated as a URL by the config schema.
  }
  const isOwnHost = (host: string) => ownNames.has(host) || isIP(host.replace(/^\[|\]$/g, '')) !== 0;

  router.use(function captive(req, res, next) {
    const probe = PROBES[req.path];
    const admitted = state.isAdmitted(clientIp(req));
    if ((probe || req.path === WINDOWS_REDIRECT) && (req.method === 'GET' || req.method === 'HEAD')) {
      res.set('Cache-Control', 'no-store');
      if (!admitted) return void res.redirect(302, `${portal}/bienvenue`);
      if (!probe) return void res.redirect(302, `${portal}/`);
      res.status(probe.status);
      if (probe.type) res.type(probe.type);
      return probe.status === 204 ? res.end() : res.end(probe.body);
    }
    // A blank or missing Host header gives no hostname: treat it as a foreign host.
    // Express 5 answers undefined there, though its types say string.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above
    if (isOwnHost(req.hostname ?? '') || ANY_HOST.test(req.path)) return void next();
    // A name that is not ours (the captive DNS answers every name with the hub): to the portal.
    res.set('Cache-Control', 'no-store');
    return void res.redirect(302, admitted ? `${portal}/` : `${portal}/bienvenue`);
  });

  /**
   * The captive-portal API (RFC 8908), advertised by DHCP option 114 (RFC 8910): a phone asks
   * it whether it is still held by the portal instead of guessing from probes. Its address in
   * DHCP is the HTTPS name (the RFC requires it); served under any scheme.
   */
  router.get(CAPTIVE_API_PATH, function captiveApi(req, res) {
    const ip = clientIp(req);
    const secure = deps.tls?.origin();
    const base = secure ?? portal;
    const admitted = state.isAdmitted(ip);
    res
      .set('Cache-Control', 'private, no-store')
      .type('application/captive+json')
      .send(
        JSON.stringify(
          admitted
            ? { captive: false, 'venue-info-url': `${base}/`, 'seconds-remaining': state.secondsLeft(ip), 'can-extend-session': false }
            : { captive: true, 'user-portal-url': `${base}/bienvenue`, 'venue-info-url': `${base}/` }
        )
      );
  });

  router.post('/bienvenue/entrer', function enter(req, res) {
    state.admit(clientIp(req));
    res.set('Cache-Control', 'no-store').redirect(303, '/');
  });

  return router;
}
