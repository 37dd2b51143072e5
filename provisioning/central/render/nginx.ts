/**
 * Central's reverse proxy for Debian's nginx (a site file, included in nginx.conf's `http {}`).
 *
 * What the public listener lets through is an allow-list: `/` (GET), `/_session` (hubs probe it
 * before each sync; sign-ins are rate-limited), the databases (any path not starting with `_`)
 * and the console under `/console/`. Every other `/_…` path — `_replicate`, `_replicator`,
 * `_users`, `_node`, `_config`, `_utils`, `_all_dbs`, `_cluster_setup`, `_membership`,
 * `_scheduler`, `_active_tasks`, `_dbs_info`, `_uuids`… — is refused with 403 to everyone, admins
 * included: nginx cannot see CouchDB's roles, and any authenticated user may `POST /_replicate`.
 * Administrators use a second listener on loopback that passes everything (reached through
 * `ssh -L`), rather than an allow-list of addresses: administrators in Mali work from 3G and ADSL
 * lines whose addresses change, and behind the operators' carrier-grade NAT an allowed address is
 * shared with strangers — hubs included — so an address proves nothing; SSH adds a key on top
 * of CouchDB's password.
 */

export interface NginxOptions {
  serverName: string;
  certificate: string;
  certificateKey: string;
  /** The public TLS listener, e.g. "443" or "127.0.0.1:8443". */
  listen: string;
  /** The plain-HTTP listener that redirects to HTTPS and answers ACME's http-01; null: none. */
  httpListen: string | null;
  /** The administrators' listener, loopback only. */
  adminListen: string;
  /** CouchDB's nodes as the proxy reaches them ("127.0.0.1:5984", or each node's host:5984). */
  upstreams: string[];
  consolePort: number;
  /** Largest upload (media files, attachments), in MB. */
  maxUploadMB: number;
  /** Largest other request (hubs' `_bulk_docs`, `_revs_diff`…), in MB. */
  maxBodyMB: number;
  /** Requests per second per account (hubs, people), and the burst on top. */
  ratePerAccount: number;
  burstPerAccount: number;
  /** Requests per second per address (many hubs share one behind an operator's NAT), and the burst. */
  ratePerAddress: number;
  burstPerAddress: number;
  /** Sign-ins (`POST /_session`) per minute per address. */
  loginsPerMinute: number;
}

export const NGINX_DEFAULTS = {
  listen: '443',
  httpListen: '80',
  adminListen: '127.0.0.1:5985',
  maxUploadMB: 100,
  maxBodyMB: 32,
  ratePerAccount: 10,
  burstPerAccount: 60,
  ratePerAddress: 50,
  burstPerAddress: 400,
  loginsPerMinute: 10,
} as const;

/** How every location passes to an upstream; set once per server, inherited by its locations. */
const proxying = `  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  # CouchDB never compresses answers but attachments stored compressed: ask it for none, so
  # that nginx alone decides (and never compresses a Range answer).
  proxy_set_header Accept-Encoding "";
  # _changes feeds and media stream through; a hub's longpoll waits up to a minute.
  proxy_buffering off;
  proxy_read_timeout 120s;
  proxy_send_timeout 120s;`;

const gzip = `  # JSON is most of replication's bytes: a third to a half of it once gzip'd, on a metered link.
  # CouchDB answers JSON as text/plain to clients that do not ask for application/json.
  gzip on;
  gzip_vary on;
  gzip_proxied any;
  gzip_comp_level 5;
  gzip_min_length 256;
  gzip_types application/json text/plain text/css application/javascript image/svg+xml;`;

export function nginxSite(o: NginxOptions): string {
  const acct = `limit_req zone=espace_account burst=${o.burstPerAccount} delay=${Math.floor(o.burstPerAccount / 2)};`;
  const addr = `limit_req zone=espace_address burst=${o.burstPerAddress} delay=${Math.floor(o.burstPerAddress / 2)};`;
  const http = o.httpListen
    ? `
# Plain HTTP: ACME's http-01 challenge (certbot --webroot -w /var/www/letsencrypt), else HTTPS.
server {
  listen ${o.httpListen};
  server_name ${o.serverName};
  location /.well-known/acme-challenge/ { root /var/www/letsencrypt; }
  location / { return 301 https://$host$request_uri; }
}
`
    : '';
  return `# Espace Connecté — central's reverse proxy (written by \`espace central render\`; do not edit:
# render again). Install: /etc/nginx/sites-available/espace-central.conf, linked from
# sites-enabled, then \`nginx -t && systemctl reload nginx\`.

upstream espace_couchdb {
${o.upstreams.map((u) => `  server ${u};`).join('\n')}
  keepalive 32;
}
# Administrators reach one node (the first; the others only if it is down): the
# _cluster_setup calls of \`espace central setup --cluster\` must all reach the same node.
upstream espace_couchdb_admin {
${o.upstreams.map((u, i) => `  server ${u}${i ? ' backup' : ''};`).join('\n')}
  keepalive 4;
}
upstream espace_console {
  server 127.0.0.1:${o.consolePort};
  keepalive 8;
}

# Per-client rate limits. A hub's sync is sequential (one request after another: at most ~3 a
# second over 3G), so ${o.ratePerAccount} r/s per account with a burst of ${o.burstPerAccount} never slows a real one;
# the per-address limit is looser since many hubs share an address behind an operator's NAT.
# Every Basic-auth request with a wrong password costs CouchDB a PBKDF2 hash (~0.3 s of CPU):
# these limits are also what keeps a password guesser from eating central's cores.
limit_req_zone $remote_user zone=espace_account:10m rate=${o.ratePerAccount}r/s;
limit_req_zone $binary_remote_addr zone=espace_address:10m rate=${o.ratePerAddress}r/s;
map $request_method $espace_login_key {
  POST    $binary_remote_addr;
  default "";
}
limit_req_zone $espace_login_key zone=espace_login:1m rate=${o.loginsPerMinute}r/m;
limit_req_status 429;
limit_req_log_level warn;
${http}
server {
  # nginx 1.25.1 and later warn here: replace "http2" by a line "http2 on;".
  listen ${o.listen} ssl http2;
  server_name ${o.serverName};
  ssl_certificate     ${o.certificate};
  ssl_certificate_key ${o.certificateKey};
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:espace_tls:10m;
  ssl_session_timeout 1d;
  add_header Strict-Transport-Security "max-age=31536000" always;

  # Hubs' pushes (batches of submissions) are small; uploads of media are allowed below.
  client_max_body_size ${o.maxBodyMB}m;
${gzip}
${proxying}
  # Every location without limits of its own has these.
  ${acct}
  ${addr}

  # Every /_… endpoint but / and /_session is refused here, to everyone (see the header).
  location ~ ^/_ {
    default_type application/json;
    return 403 '{"error":"forbidden","reason":"this endpoint is for administrators, on the loopback listener ${o.adminListen} (ssh -L)"}';
  }
  location = /_session {
    limit_req zone=espace_login burst=5 nodelay;
    ${acct}
    ${addr}
    proxy_pass http://espace_couchdb;
  }
  location = / {
    limit_except GET HEAD { deny all; }
    proxy_pass http://espace_couchdb;
  }

  # Attachments (/db/doc/file): media files of up to ${o.maxUploadMB} MB, never gzip'd (they are
  # compressed already, and a resumed download needs its exact bytes: 206 with Range).
  location ~ ^/[^_/][^/]*/[^_/][^/]*/. {
    client_max_body_size ${o.maxUploadMB}m;
    gzip off;
    # An attachment CouchDB stored compressed comes whole (Accept-Ranges: none): nginx then cuts
    # the range itself, so the 3G link carries only the bytes asked.
    proxy_force_ranges on;
    proxy_pass http://espace_couchdb;
  }

  # The databases: content, media, each hub's submissions-<hubId>, and the people's.
  location / {
    proxy_pass http://espace_couchdb;
  }

  # Central's console (espace central console, on loopback port ${o.consolePort}); ^~ keeps its
  # pages out of the attachments' regex.
  location ^~ /console {
    client_max_body_size ${o.maxUploadMB}m;
    proxy_pass http://espace_console;
    proxy_read_timeout 300s;
  }
}

# Administrators: the whole CouchDB API, loopback only, no rate limit. From a laptop:
#   ssh -L 5985:${o.adminListen} central   then   espace central setup --url http://127.0.0.1:5985 …
server {
  listen ${o.adminListen};
  client_max_body_size ${o.maxUploadMB}m;
${gzip}
${proxying}
  location / {
    proxy_pass http://espace_couchdb_admin;
  }
}
`;
}
