import { MEDIA_FRONT, mediaFrontHeaderNames } from '../../../hub/index.js';
import type { SpaceProfile } from '../../profile/index.js';
import { HUB_DATA_DIR } from '../../profile/index.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';

/** Our own nginx configuration (Debian's /etc/nginx stays as the package left it, unused). */
export const NGINX_PATH = '/etc/espace/nginx.conf';
/** The port the front listens on: nftables sends the space's port 80 here. */
export const FRONT_PORT = 80;
/** Where the front sends a seek to be answered from its cache of the hub's answers. */
const SEEK = '/_espace-media/seek';
/** A file named by its hash never changes: its descriptor is kept open between requests. */
const OPEN_FILES = '      open_file_cache max=64 inactive=60s;\n      open_file_cache_valid 60s;\n';
/** Where it asks the hub for a file's headers (cached a minute). */
const FACTS = '/_espace-media/facts';
/**
 * The cached facts' files kept open too (nginx's cache reads them through the location's
 * open_file_cache): a seek then reads a few hundred bytes instead of opening and closing a
 * file. Checked every 5 s, as the cache replaces a file once a minute (tried with a 3 s cache
 * and checks every 5 or 60 s: the hub was asked again every 3–5 s, no more, seeks kept hitting).
 */
const OPEN_FACTS = '      open_file_cache max=256 inactive=60s;\n      open_file_cache_valid 5s;\n';

export interface FrontOptions {
  /** `listen` argument: `80` on the Pi, `127.0.0.1:<port>` in tests. */
  listen: string;
  /** The hub's plain HTTP, `127.0.0.1:8080`. */
  hub: string;
  /** The content-addressed store, `<dataDir>/media`. */
  mediaDir: string;
  /** Headers the hub's media answers carry that nginx drops on X-Accel-Redirect (mediaFrontHeaderNames). */
  headers: string[];
  /** The Pi: workers as the hub's account (the store is its, mode 0750); tests: the caller's. */
  user?: string;
  pid: string;
  errorLog: string;
  /** Where nginx may write request bodies (uploads go through, unbuffered). */
  temp: string;
  /** The seeks' cache of the hub's answers (a few hundred bytes a file): in memory on the Pi (/run). */
  cache: string;
}

/**
 * The nginx front of the space's port 80 (hub/http/README.md, "The nginx front"): every request
 * proxied to the hub over a keep-alive upstream, the phone's address in X-Forwarded-For; the
 * hub answers a media file's request (authorises, counts, decides 304/412/416, the range) and,
 * for the bytes, names the file with X-Accel-Redirect: nginx sends it from the store with
 * sendfile, with the hub's headers added back. Nothing logged per request (the card's wear):
 * the hub counts.
 */
export function nginxFrontConfig(o: FrontOptions): string {
  const added = o.headers.map((name) => `add_header ${name} $upstream_http_${name.toLowerCase().replace(/-/g, '_')};`);
  const media = (location: string, ranges: string) =>
    `    location ${location} {\n` +
    `      internal;\n      alias ${o.mediaDir}/;\n${OPEN_FILES}` +
    // The hub decided the validators and conditions; nginx neither answers 304 nor shows the file's time.
    `      etag off;\n      if_modified_since off;\n` +
    ranges +
    `      add_header ETag $upstream_http_etag;\n      add_header Last-Modified "";\n` +
    added.map((line) => `      ${line}\n`).join('') +
    `    }\n`;
  const proxiedTo = (uri: string, front: string) =>
    `      proxy_pass http://espace_hub${uri};\n      proxy_http_version 1.1;\n` +
    `      proxy_set_header Connection "";\n      proxy_set_header Host $host;\n` +
    // Set, never appended to: the hub believes it from loopback only (trust proxy).
    `      proxy_set_header X-Forwarded-For $remote_addr;\n      proxy_set_header ${MEDIA_FRONT.header} ${front};\n`;
  const proxied = proxiedTo('', '1');
  // A seek's headers, from the hub's answer for the file: [name, variable].
  const seekHeaders = ['Content-Type', 'Cache-Control', 'Content-Disposition', 'ETag', ...o.headers].map(
    (name) => [name, name.toLowerCase().replace(/-/g, '_')] as const
  );
  return (
    `${o.user ? `user ${o.user};\n` : ''}worker_processes 1;\npid ${o.pid};\nerror_log ${o.errorLog} warn;\n` +
    `events { worker_connections 1024; }\n\n` +
    `http {\n` +
    `  access_log off;\n  server_tokens off;\n  sendfile on;\n  tcp_nopush on;\n` +
    `  keepalive_requests 10000;\n  types { }\n  default_type application/octet-stream;\n` +
    // The hub sets its own limits on bodies; uploads and replication's long feeds stream through.
    `  client_max_body_size 0;\n  proxy_request_buffering off;\n  proxy_buffering off;\n  proxy_read_timeout 1h;\n` +
    `  client_body_temp_path ${o.temp}/body;\n  proxy_temp_path ${o.temp}/proxy;\n  fastcgi_temp_path ${o.temp}/fastcgi;\n` +
    `  uwsgi_temp_path ${o.temp}/uwsgi;\n  scgi_temp_path ${o.temp}/scgi;\n` +
    // Connections to the hub kept: as many as phones ask at once (with 32, 50 connections made
    // the hub accept and close one in three), past nginx's 1 000 requests, and given up before
    // the hub's own keep-alive timeout (5 s) so nginx never reuses one the hub is closing.
    `  upstream espace_hub {\n    server ${o.hub};\n    keepalive 128;\n    keepalive_requests 100000;\n    keepalive_time 1h;\n    keepalive_timeout 4s;\n  }\n` +
    // nginx says Accept-Ranges itself on a 200, not on a 206: the hub says it on both.
    `  map $http_range $espace_ranges { "" ""; default bytes; }\n\n` +
    // A seek: one range from past the start, nothing conditional, no query. Anything else asks the hub.
    `  map "$http_range|$http_if_range$http_if_match$http_if_none_match$http_if_modified_since$http_if_unmodified_since|$args" $espace_seek {\n` +
    `    "~^bytes=[1-9][0-9]*-[0-9]*\\|\\|$" 1;\n    default "";\n  }\n` +
    `  proxy_cache_path ${o.cache} levels=1 keys_zone=espace_facts:1m max_size=8m inactive=10m use_temp_path=off;\n\n` +
    `  server {\n    listen ${o.listen} default_server;\n` +
    `    location / {\n${proxied}    }\n` +
    // A player seeking asks a range every few seconds. The hub's answer for a file (its headers)
    // is the same for every seek: nginx asks it once a minute per file (auth_request, cached in
    // memory) and sends the range itself. Everything else asks the hub: a first request, a whole
    // file or a range from 0 (a play, which the hub counts), a revalidation, a download.
    `    location ~ "^/media/(?<espace_dir>[0-9a-f]{2})(?<espace_rest>[0-9a-f]{62})$" {\n` +
    `      if ($espace_seek) { rewrite ^ ${SEEK}/$espace_dir/$espace_dir$espace_rest last; }\n${proxied}    }\n` +
    `    location ${SEEK}/ {\n      internal;\n      alias ${o.mediaDir}/;\n      auth_request ${FACTS};\n${OPEN_FILES}` +
    seekHeaders.map(([, v]) => `      auth_request_set $espace_${v} $upstream_http_${v};\n`).join('') +
    `      types { }\n      default_type "";\n      etag off;\n      if_modified_since off;\n      max_ranges 1;\n` +
    seekHeaders.map(([name, v]) => `      add_header ${name} $espace_${v};\n`).join('') +
    `      add_header Last-Modified "";\n      add_header Accept-Ranges bytes;\n` +
    // A range past the end (416), a file gone from the store: the hub's own answer.
    `      error_page 404 416 500 = @espace_hub;\n    }\n` +
    `    location = ${FACTS} {\n      internal;\n${proxiedTo('$request_uri', MEDIA_FRONT.facts)}` +
    `      proxy_pass_request_body off;\n      proxy_set_header Content-Length "";\n      proxy_method GET;\n` +
    `      proxy_buffering on;\n      proxy_cache espace_facts;\n      proxy_cache_key $request_uri;\n      proxy_cache_valid 200 1m;\n` +
    `      proxy_cache_lock on;\n      proxy_ignore_headers X-Accel-Redirect Cache-Control Expires;\n${OPEN_FACTS}    }\n` +
    `    location @espace_hub {\n${proxiedTo('$request_uri', '1')}    }\n` +
    media(MEDIA_FRONT.ranges, `      max_ranges 1;\n      add_header Accept-Ranges $espace_ranges;\n`) +
    media(MEDIA_FRONT.whole, `      max_ranges 0;\n      add_header Accept-Ranges bytes;\n`) +
    `  }\n}\n`
  );
}

/** The Pi's front: Debian's nginx with our configuration, run by its own unit with a drop-in. */
export function nginxFront(p: SpaceProfile): RenderedFile[] {
  const conf = nginxFrontConfig({
    listen: String(FRONT_PORT),
    hub: `127.0.0.1:${p.hub.port}`,
    mediaDir: `${HUB_DATA_DIR}/media`,
    headers: mediaFrontHeaderNames({ hubId: p.hubId, tls: { domain: p.hub.tlsDomain, port: p.hub.tlsPort } }),
    user: 'espace espace',
    pid: '/run/nginx.pid',
    errorLog: '/var/log/nginx/error.log',
    temp: '/var/lib/nginx',
    cache: '/run/nginx-espace',
  });
  const nginx = `/usr/sbin/nginx -c ${NGINX_PATH} -g 'daemon on; master_process on;'`;
  const dropIn =
    header('#', "nginx runs the space's front (port 80) from /etc/espace/nginx.conf") +
    `[Unit]\nAfter=espace-firewall.service espace-hub.service\nRequiresMountsFor=${HUB_DATA_DIR}\n\n` +
    `[Service]\nExecStartPre=\nExecStartPre=/usr/sbin/nginx -t -q -c ${NGINX_PATH} -g 'daemon on; master_process on;'\n` +
    `ExecStart=\nExecStart=${nginx}\nExecReload=\nExecReload=${nginx} -s reload\n`;
  return [
    {
      path: NGINX_PATH,
      content: header('#', 'the nginx front of port 80 (media with sendfile)') + conf,
      mode: 0o644,
      owner: 'root',
      onChange: [restart('nginx.service')],
    },
    {
      path: '/etc/systemd/system/nginx.service.d/espace.conf',
      content: dropIn,
      mode: 0o644,
      owner: 'root',
      onChange: [{ kind: 'daemon-reload' }, restart('nginx.service')],
    },
  ];
}
