import { MEDIA_FRONT, mediaFrontHeaderNames } from '../../../hub/index.js';
import type { SpaceProfile } from '../../profile/index.js';
import { HUB_DATA_DIR } from '../../profile/index.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';

/** Our own nginx configuration (Debian's /etc/nginx stays as the package left it, unused). */
export const NGINX_PATH = '/etc/espace/nginx.conf';
/** The port the front listens on: nftables sends the space's port 80 here. */
export const FRONT_PORT = 80;

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
    `      internal;\n      alias ${o.mediaDir}/;\n` +
    // The hub decided the validators and conditions; nginx neither answers 304 nor shows the file's time.
    `      etag off;\n      if_modified_since off;\n` +
    ranges +
    `      add_header ETag $upstream_http_etag;\n      add_header Last-Modified "";\n` +
    added.map((line) => `      ${line}\n`).join('') +
    `    }\n`;
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
    `  upstream espace_hub { server ${o.hub}; keepalive 32; }\n` +
    // nginx says Accept-Ranges itself on a 200, not on a 206: the hub says it on both.
    `  map $http_range $espace_ranges { "" ""; default bytes; }\n\n` +
    `  server {\n    listen ${o.listen} default_server;\n` +
    `    location / {\n      proxy_pass http://espace_hub;\n      proxy_http_version 1.1;\n` +
    `      proxy_set_header Connection "";\n      proxy_set_header Host $host;\n` +
    // Set, never appended to: the hub believes it from loopback only (trust proxy).
    `      proxy_set_header X-Forwarded-For $remote_addr;\n      proxy_set_header ${MEDIA_FRONT.header} 1;\n    }\n` +
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
