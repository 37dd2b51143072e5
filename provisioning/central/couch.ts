import { AppError } from '../../content/index.js';

export interface Credentials {
  username: string;
  password: string;
}

/**
 * A person signed in to central's console: CouchDB's own `AuthSession` cookie, renewed by
 * CouchDB as it is used (`onCookie` keeps the newest), so CouchDB decides what they may do.
 */
export interface CookieAuth {
  username: string;
  cookie: string;
  onCookie?(cookie: string): void;
}

function isCookieAuth(a: Credentials | CookieAuth): a is CookieAuth {
  return 'cookie' in a;
}

/** The header that authenticates a request to CouchDB: the session cookie, or basic credentials. */
export function authHeader(auth: Credentials | CookieAuth): Record<string, string> {
  return isCookieAuth(auth) ? { Cookie: auth.cookie } : { Authorization: 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64') };
}

export interface CouchAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/**
 * One request to central's CouchDB HTTP API (CouchDB 3 or the stand-in) as an administrator or
 * editor. Network failures and refused credentials become sentences a technician can act on;
 * other statuses are returned for the caller to judge.
 */
export async function couch<T = Record<string, unknown>>(
  baseUrl: string,
  path: string,
  auth: Credentials | CookieAuth,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<CouchAnswer<T>> {
  const url = new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : baseUrl + '/');
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...authHeader(auth),
    ...init.headers,
  };
  let payload: BodyInit | undefined;
  if (init.body instanceof Uint8Array) payload = init.body as BodyInit;
  else if (init.body !== undefined) {
    payload = JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, { method: init.method ?? 'GET', headers, body: payload });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    const why = cause?.code ?? cause?.errors?.[0]?.code ?? (cause as { message?: string } | undefined)?.message ?? (e as Error).message;
    throw new AppError(503, 'central-unreachable', `cannot reach central at ${baseUrl} (${why}); check the URL and that central is running`, { cause: e });
  }
  if (isCookieAuth(auth)) {
    const renewed = authSessionCookie(res.headers.get('set-cookie'));
    if (renewed) {
      auth.cookie = renewed;
      auth.onCookie?.(renewed);
    }
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { raw: text };
  }
  if (res.status === 401 && isCookieAuth(auth)) {
    throw new AppError(401, 'couch-session-ended', `votre session a expiré à central ; reconnectez-vous (${auth.username})`);
  }
  if (res.status === 401) {
    throw new AppError(
      401,
      'central-credentials-refused',
      `central at ${baseUrl} refused the credentials of "${auth.username}"; check the user name and password`
    );
  }
  return { status: res.status, body: body as T };
}

/** Throws unless the answer's status is one of `ok`, naming what was being done. */
export function expectStatus(answer: CouchAnswer<unknown>, ok: number[], doing: string): void {
  if (ok.includes(answer.status)) return;
  const b = answer.body as { error?: string; reason?: string };
  const why = b.reason ?? b.error ?? `HTTP ${answer.status}`;
  if (answer.status === 403) throw new AppError(403, 'central-forbidden', `central refused to let us ${doing}: ${why}; use an administrator's credentials`);
  throw new AppError(502, 'central-error', `central could not ${doing}: ${why} (HTTP ${answer.status})`);
}

/** `AuthSession=…` from a Set-Cookie header, if CouchDB sent one. */
export function authSessionCookie(setCookie: string | null): string | undefined {
  const m = /(?:^|,\s*)(AuthSession=[^;,]*)/.exec(setCookie ?? '');
  return m && m[1] !== 'AuthSession=' ? m[1] : undefined;
}
