/** CouchDB 3's own files for central: the `local.d` fragment and `vm.args`, for one node or each of a cluster's. */

export interface Secrets {
  /** `[couchdb] uuid`: the same on every node (it names the server; replication checkpoints use it). */
  uuid: string;
  /** `[chttpd_auth] secret`: the same on every node, or a session cookie made by one node fails on another. */
  secret: string;
  /** The Erlang cookie: the same on every node, or they cannot talk. */
  cookie: string;
}

export interface CouchNode {
  /** The host name or address the other nodes (and the proxy) reach this node at. */
  host: string;
  /** `[chttpd] bind_address`. */
  bindAddress: string;
}

export interface Sizing {
  /** Hubs expected: one continuous merge job each. */
  hubs: number;
  /** Shards per database (`[cluster] q`) and copies of each (`[cluster] n`). */
  q: number;
  n: number;
  /** `[replicator] max_jobs`: every job running at once, none waiting for its turn. */
  maxJobs: number;
}

/** The jobs besides the hubs' merges: fleet, community, studio, opportunities, jury. */
const OTHER_JOBS = 5;

/**
 * Sizing for this load. Central's databases are small (a hub writes a few hundred KB a day), so
 * few shards: q = 2 keeps 500 hubs' databases at about 1 000 shard files per node; n = the
 * number of nodes up to 3. max_jobs leaves room for the hubs enrolled next year.
 */
export function sizing(hubs: number, nodes: number, given: { q?: number; n?: number } = {}): Sizing {
  const n = given.n ?? Math.min(3, nodes);
  const q = given.q ?? 2;
  const maxJobs = Math.max(500, Math.ceil(((hubs + OTHER_JOBS) * 2) / 100) * 100);
  return { hubs, q, n, maxJobs };
}

/** `local.d/10-espace.ini` for one node. */
export function localIni(node: CouchNode, secrets: Secrets, size: Sizing, opts: { port: number; cluster: boolean; maxUploadMB: number }): string {
  return `; Espace Connecté — central's CouchDB (written by \`espace central render\`; render again to change it).
; Install as /opt/couchdb/etc/local.d/10-espace.ini (mode 0640, owner couchdb): it holds secrets.
; The administrator's password is not here: set it once with the package's debconf question or
; [admins] in local.ini, the same on every node.

[couchdb]
uuid = ${secrets.uuid}
${opts.cluster ? '' : 'single_node = true\n'}max_document_size = 8000000
max_attachment_size = ${opts.maxUploadMB * 1_000_000}

[chttpd]
port = ${opts.port}
bind_address = ${node.bindAddress}
; No anonymous request at all. CouchDB 3 reads this HERE; under [chttpd_auth] it is ignored.
require_valid_user = true
; The largest media file a pack may carry, with the request around it.
max_http_request_size = ${opts.maxUploadMB * 1_000_000 + 1_000_000}

[chttpd_auth]
; (CouchDB 3's name for what 2.x called [couch_httpd_auth]; set only this one.)
; The same on every node: a session cookie made by one node is then good on the others.
secret = ${secrets.secret}
; The console's sessions (AuthSession) last an hour without use.
timeout = 3600
allow_persistent_cookies = true
; Users' docs kept in memory: one per hub, and the people's.
auth_cache_size = 1000

[couch_peruser]
enable = false

[cluster]
q = ${size.q}
n = ${size.n}

[replicator]
; One continuous job per hub (${size.hubs}) plus ${OTHER_JOBS} (fleet, community, studio, opportunities, jury): all running, none rotated.
max_jobs = ${size.maxJobs}
interval = 60000
max_churn = 20
; The merges carry a few KB a day each: small workers keep ${size.hubs} jobs light.
worker_processes = 1
worker_batch_size = 500
http_connections = 2
connection_timeout = 30000
retries_per_request = 5

[attachments]
; Never store attachments compressed: CouchDB then ignores Range on them, and a media file
; (subtitles, text) could never resume after a cut. \`espace central setup\` sets it too.
compressible_types =

[log]
writer = journald
level = info
`;
}

/** `vm.args` for one node: its Erlang name, the cookie, and the ports the nodes talk on. */
export function vmArgs(node: CouchNode, secrets: Secrets): string {
  return `# Espace Connecté — central's CouchDB node (written by \`espace central render\`).
# Install as /opt/couchdb/etc/vm.args (mode 0640, owner couchdb): it holds the cookie.
-name couchdb@${node.host}
-setcookie ${secrets.cookie}
# Nodes talk on 4369 (epmd) and 9100-9200: open them between the nodes only.
-kernel inet_dist_listen_min 9100
-kernel inet_dist_listen_max 9200
-kernel error_logger silent
-kernel prevent_overlapping_partitions false
-sasl sasl_error_logger false
+K true
+A 16
+Bd -noinput
+Q 65536
`;
}
