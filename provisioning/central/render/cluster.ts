import { AppError } from '../../../content/index.js';
import { couch, expectStatus, type Credentials } from '../couch.js';

/** One `POST /_cluster_setup`, as written in cluster-setup.json (credentials as placeholders). */
export interface ClusterCall {
  method: 'POST';
  path: '/_cluster_setup';
  body: Record<string, unknown>;
}

export const ADMIN_USER_PLACEHOLDER = '${ESPACE_CENTRAL_ADMIN_USER}';
export const ADMIN_PASSWORD_PLACEHOLDER = '${ESPACE_CENTRAL_ADMIN_PASSWORD}';

/** A node's address as `host` or `host:port` (port 5984 by default). */
export function parseNodeAddress(given: string): { host: string; port: number } {
  const m = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?$/.exec(given.trim());
  const port = m?.[2] ? Number(m[2]) : 5984;
  if (!m || port < 1 || port > 65535) {
    throw new AppError(
      2,
      'bad-node-address',
      `"${given}" is not a node address: give a host name or address, with an optional port, for example couchdb2.espace.internal or 10.0.0.12:5984`
    );
  }
  return { host: m[1]!, port };
}

/**
 * The calls that make a cluster of the node the calls are sent to (the first) and the others,
 * as CouchDB's set-up wizard makes them: enable clustering on each other node (through the
 * first), add it, then finish (which creates the system databases cluster-wide). One node:
 * `enable_single_node`.
 */
export function clusterSetupCalls(
  others: string[],
  admin: { username: string; password: string } = { username: ADMIN_USER_PLACEHOLDER, password: ADMIN_PASSWORD_PLACEHOLDER },
  bindAddress = '0.0.0.0'
): ClusterCall[] {
  const call = (body: Record<string, unknown>): ClusterCall => ({ method: 'POST', path: '/_cluster_setup', body });
  if (others.length === 0) {
    return [
      call({ action: 'enable_single_node', username: admin.username, password: admin.password, bind_address: '127.0.0.1', port: 5984, singlenode: true }),
    ];
  }
  const nodeCount = others.length + 1;
  const calls: ClusterCall[] = [
    call({ action: 'enable_cluster', bind_address: bindAddress, username: admin.username, password: admin.password, node_count: nodeCount }),
  ];
  for (const other of others) {
    const { host, port } = parseNodeAddress(other);
    calls.push(
      call({
        action: 'enable_cluster',
        bind_address: bindAddress,
        username: admin.username,
        password: admin.password,
        port,
        node_count: nodeCount,
        remote_node: host,
        remote_current_user: admin.username,
        remote_current_password: admin.password,
      }),
      call({ action: 'add_node', host, port, username: admin.username, password: admin.password })
    );
  }
  calls.push(call({ action: 'finish_cluster' }));
  return calls;
}

export interface ClusterReport {
  /** The state CouchDB was in before, e.g. "cluster_disabled". */
  before: string;
  /** The actions sent, in order (empty when it was done already). */
  sent: string[];
}

/**
 * Finishes a cluster (others given) or a single node (none), through the node at `url`.
 * Does nothing when CouchDB says it is done already (`cluster_finished`, `single_node_enabled`).
 */
export async function finishCluster(url: string, admin: Credentials, others: string[]): Promise<ClusterReport> {
  const calls = clusterSetupCalls(others, admin); // checks every address before any call
  const state = await couch<{ state?: string }>(url, '_cluster_setup', admin);
  expectStatus(state, [200], 'read the cluster set-up state');
  const before = state.body.state ?? 'unknown';
  const done = others.length ? before === 'cluster_finished' : before === 'single_node_enabled' || before === 'cluster_finished';
  if (done) return { before, sent: [] };
  const sent: string[] = [];
  for (const c of calls) {
    const action = String(c.body.action);
    const where = (c.body.remote_node ?? c.body.host) as string | undefined;
    const answer = await couch(url, '_cluster_setup', admin, { method: 'POST', body: c.body });
    try {
      expectStatus(answer, [200, 201], `${action}${where ? ` for ${where}` : ''} (POST /_cluster_setup)`);
    } catch (e) {
      const hint = where
        ? `check that ${where} runs CouchDB with the same administrator password and the cookie of vm.args (espace central render), and that the first node reaches it on ${String(c.body.port)}, 4369 and 9100-9200`
        : "check CouchDB's log on the first node";
      throw new AppError(2, 'cluster-setup-failed', `${(e as Error).message}; ${hint}, then run setup again (what was done is kept)`, { cause: e });
    }
    sent.push(where ? `${action} ${where}` : action);
  }
  return { before, sent };
}
