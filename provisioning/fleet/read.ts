import { AppError } from '../../content/index.js';

export interface Credentials {
  username: string;
  password: string;
}

/** Every doc of central's `fleet` database (CouchDB HTTP API: CouchDB 3 or the stand-in). */
export async function readFleetDocs(centralUrl: string, creds: Credentials | null): Promise<unknown[]> {
  const url = new URL('fleet/_all_docs?include_docs=true', centralUrl.endsWith('/') ? centralUrl : `${centralUrl}/`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new AppError(502, 'central-unreachable', `cannot reach central at ${url.origin} (${code}); check the address and the uplink`);
  }
  if (res.status === 401 || res.status === 403) {
    throw new AppError(
      401,
      'central-refused',
      'central refused these credentials for the fleet database; set ESPACE_CENTRAL_USERNAME and ESPACE_CENTRAL_PASSWORD to an account that may read it'
    );
  }
  if (res.status === 404) throw new AppError(404, 'no-fleet-db', `central at ${url.origin} has no fleet database; run "espace central setup" there first`);
  if (!res.ok) throw new AppError(502, 'central-error', `central answered ${res.status} for the fleet database; try again later`);
  const body = (await res.json()) as { rows?: { doc?: unknown }[] };
  return (body.rows ?? []).map((r) => r.doc).filter((d) => d !== undefined && d !== null);
}

/** Whether central accepts a hub's credentials: a sentence for the first-boot log, never a throw. */
export async function checkCentralCredentials(centralUrl: string, creds: Credentials): Promise<{ ok: boolean; message: string }> {
  const url = new URL('_session', centralUrl.endsWith('/') ? centralUrl : `${centralUrl}/`);
  const authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  try {
    const res = await fetch(url, { headers: { authorization, accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
    const body = (await res.json().catch(() => ({}))) as { userCtx?: { name?: string | null } };
    if (res.ok && body.userCtx?.name === creds.username) return { ok: true, message: `central at ${url.origin} accepts ${creds.username}` };
    return {
      ok: false,
      message: `central at ${url.origin} refuses ${creds.username} (${res.status}); enroll the hub again with "espace central enroll" and update the profile`,
    };
  } catch (e) {
    const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    return { ok: false, message: `central at ${url.origin} is not reachable now (${code}); the hub keeps trying when the uplink allows` };
  }
}
