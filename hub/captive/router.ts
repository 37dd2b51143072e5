import { isIP } from 'node:net';
import { join } from 'node:path';
import { Router, type Request } from 'express';
import type { HubDeps } from '../deps.js';
import { PROBES, WINDOWS_REDIRECT } from './probes.js';
import { CaptiveState } from './state.js';

/** Paths that stay reachable under any Host: clients of the API and replication use the IP. */
const ANY_HOST = /^\/(api|media|db|static)(\/|$)|^\/(sw\.js|manifest\.webmanifest)$/;

function clientIp(req: Request): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
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
  const ownNames = new Set(['localhost', config.dnsName, `${config.mdnsName}.local`]);
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
      if (!admitted) return res.redirect(302, `${portal}/bienvenue`);
      if (!probe) return res.redirect(302, `${portal}/`);
      res.status(probe.status);
      if (probe.type) res.type(probe.type);
      return probe.status === 204 ? res.end() : res.end(probe.body);
    }
    // A blank or missing Host header gives no hostname: treat it as a foreign host.
    if (isOwnHost(req.hostname ?? '') || ANY_HOST.test(req.path)) return next();
    // A name that is not ours (the captive DNS answers every name with the hub): to the portal.
    res.set('Cache-Control', 'no-store');
    return res.redirect(302, admitted ? `${portal}/` : `${portal}/bienvenue`);
  });

  router.post('/bienvenue/entrer', function enter(req, res) {
    state.admit(clientIp(req));
    res.set('Cache-Control', 'no-store').redirect(303, '/');
  });

  return router;
}
