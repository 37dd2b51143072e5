import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Config } from '../config/index.js';

/** The hub's own HTTPS name, which a plain-HTTP page may probe before moving there. */
function secureName(config: Pick<Config, 'hubId' | 'tls'> | undefined): string[] {
  return config?.tls.domain ? [`https://${config.hubId}.${config.tls.domain}:*`] : [];
}

/** Security headers for every response. Nothing is ever loaded from outside the hub. */
export function securityHeaders(config?: Pick<Config, 'hubId' | 'tls'>) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", ...secureName(config)],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
      },
    },
    // Plain HTTP stays for phones that cannot use the certificate; HSTS would lock them out.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * The same headers as a plain record, computed once by running the middleware, so the raw
 * fast path sends exactly what Express would.
 */
export function precomputedSecurityHeaders(config?: Pick<Config, 'hubId' | 'tls'>): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a header map keyed by name, as a response's is
      delete headers[name];
    },
  } as unknown as ServerResponse;
  // helmet only reads req.headers: a stand-in request is enough to compute the headers once.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- see above
  securityHeaders(config)({ headers: {} } as IncomingMessage, res, () => undefined);
  return headers;
}
