import { MEDIA_FRONT, MEDIA_LINK_TYPES, mediaFrontHeaderNames, mediaFrontPublicHeaders, mediaFrontSharedHeaders } from '../../../hub/index.js';
import type { SpaceProfile } from '../../profile/index.js';
import { HUB_DATA_DIR } from '../../profile/index.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';

/** Our own nginx configuration (Debian's /etc/nginx stays as the package left it, unused). */
export const NGINX_PATH = '/etc/espace/nginx.conf';
/** The port the front listens on: nftables sends the space's port 80 here. */
export const FRONT_PORT = 80;
/** A file named by its hash never changes: its descriptor is kept open between requests. */
const OPEN_FILES = '      open_file_cache max=64 inactive=60s;\n      open_file_cache_valid 60s;\n';
/**
 * The public links: their descriptors kept open, and the names tried in vain (a file's other
 * extensions) remembered too, so a file costs no system call after its first answer. Checked
 * every 5 s: a new link is used, a link taken away (a guarded doc came to name the file) is no
 * longer followed, within 5 s.
 */
const OPEN_LINKS = '      open_file_cache max=4096 inactive=60s;\n      open_file_cache_valid 5s;\n      open_file_cache_errors on;\n';

export interface FrontOptions {
  /** `listen` argument: `80` on the Pi, `127.0.0.1:<port>` in tests. */
  listen: string;
  /** The hub's plain HTTP, `127.0.0.1:8080`: it also receives the plays nginx reports, by UDP on the same port number. */
  hub: string;
  /** The hub's data directory: its content-addressed store (`media/`) and the public links (`media-public/`). */
  dataDir: string;
  /** Headers the hub's media answers carry that nginx drops on X-Accel-Redirect (mediaFrontHeaderNames). */
  headers: string[];
  /** The headers of a public file, as the hub sends them (mediaFrontPublicHeaders). */
  publicHeaders: Record<string, string>;
  /** Those the hub's 416 has too, with the same value (mediaFrontSharedHeaders). */
  sharedHeaders: string[];
  /** The Pi: workers as the hub's account (the store is its, mode 0750); tests: the caller's. */
  user?: string;
  pid: string;
  errorLog: string;
  /** Where nginx may write request bodies (uploads go through, unbuffered). */
  temp: string;
}

/**
 * One PCRE pattern on `A|B` (two decimal numbers without leading zeros, `|` between; A at most
 * 15 digits) that matches when A < B: A has fewer digits than B, or as many and a smaller digit
 * where they first differ (found from the left: the common prefix is matched lazily). nginx
 * cannot compare numbers otherwise. Lengths by alternatives of fixed counts (a PCRE recursion
 * doing the same cost nginx 2 200 instructions more per seek with both bounds, by callgrind);
 * one pattern rather than one per case, as each pattern nginx runs costs some 300 instructions
 * besides its own work.
 */
const DIGITS = Array.from({ length: 15 }, (_, i) => i + 1);
const LESS_THAN =
  `^(?:(?:${DIGITS.map((k) => `[0-9]{${k}}\\|[0-9]{${k + 1},}`).join('|')})$` +
  `|(?=(?:${DIGITS.map((k) => `[0-9]{${k}}\\|[0-9]{${k}}`).join('|')})$)([0-9]*?)(?:${[0, 1, 2, 3, 4, 5, 6, 7, 8].map((d) => `${d}[0-9]*\\|\\1[${d + 1}-9]`).join('|')}))`;
/**
 * The same comparison the other way, on `F-T|` (a range's bounds in the request's Range, then
 * what follows it in `$espace_ask_hub`'s key): matches when T < F, a range that ends before it
 * starts (bytes=5-3), which nginx sends to the hub as it reads the Range, in the same pattern.
 */
const BACKWARDS =
  `(?:${DIGITS.map((k) => `[0-9]{${k + 1},}-[0-9]{${k}}\\|`).join('|')}` +
  `|(?=(?:${DIGITS.map((k) => `[0-9]{${k}}-[0-9]{${k}}\\|`).join('|')}))(?<espace_same>[0-9]*?)(?:${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => `${d}[0-9]*-\\k<espace_same>[0-${d - 1}]`).join('|')}))`;

/** A header value in nginx's double quotes; a `$` would be read as a variable. */
function quoted(value: string): string {
  if (value.includes('$')) throw new Error(`a header value for nginx holds "$": ${value}`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The nginx front of the space's port 80 (hub/http/README.md, "The nginx front"): every request
 * proxied to the hub over a keep-alive upstream, the phone's address in X-Forwarded-For. A media
 * file anyone may fetch (a public link the hub made) is sent by nginx without asking the hub,
 * whole or one range, when nothing is conditional; its headers are rendered here, and a play
 * (from the start) is reported to the hub by one syslog datagram on loopback. Anything else
 * about media asks the hub, which answers (authorises, counts, decides 304/412/416, the range)
 * and, for the bytes, names the file with X-Accel-Redirect: nginx sends it from the store with
 * sendfile, with the hub's headers added back. Nothing logged per request to the card.
 */
export function nginxFrontConfig(o: FrontOptions): string {
  const added = o.headers.map((name) => `add_header ${name} $upstream_http_${name.toLowerCase().replace(/-/g, '_')};`);
  const media = (location: string, ranges: string) =>
    `    location ${location} {\n` +
    `      internal;\n      alias ${o.dataDir}/media/;\n${OPEN_FILES}` +
    // The hub decided the validators and conditions; nginx neither answers 304 nor shows the file's time.
    `      etag off;\n      if_modified_since off;\n` +
    ranges +
    `      add_header ETag $upstream_http_etag;\n      add_header Last-Modified "";\n` +
    added.map((line) => `      ${line}\n`).join('') +
    `    }\n`;
  const proxiedTo = (uri: string) =>
    `      proxy_pass http://espace_hub${uri};\n      proxy_http_version 1.1;\n` +
    `      proxy_set_header Connection "";\n      proxy_set_header Host $host;\n` +
    // Set, never appended to: the hub believes it from loopback only (trust proxy).
    `      proxy_set_header X-Forwarded-For $remote_addr;\n      proxy_set_header ${MEDIA_FRONT.header} 1;\n`;
  const sha = '$espace_dir$espace_rest';
  const link = `/$espace_dir/${sha}`;
  const hubPort = o.hub.slice(o.hub.lastIndexOf(':') + 1);
  // A public file's headers the hub's 416 has too (the security headers) are added always, and
  // left out of the hub's 416 sent after them; the others (its own policy, caching, inline, the
  // ETag) each through a map, empty (so not added) when nginx is about to refuse the range. A map
  // costs nginx about 1 000 instructions per answer.
  const shared = new Set(o.sharedHeaders);
  const always = Object.entries(o.publicHeaders).filter(([name]) => shared.has(name));
  const gated: [string, string][] = [
    ['ETag', `"\\"${sha}\\""`],
    ...Object.entries(o.publicHeaders)
      .filter(([name]) => !shared.has(name))
      .map(([name, value]): [string, string] => [name, quoted(value)]),
  ];
  const gate = (i: number) => `$espace_public_${i}`;
  return (
    `${o.user ? `user ${o.user};\n` : ''}worker_processes 1;\npid ${o.pid};\n` +
    // The process's own log: only what stops nginx. A play reported while the hub is down
    // (restarting) is refused, and nginx would log an error here for every other one (item 2).
    `error_log ${o.errorLog} crit;\npcre_jit on;\n` +
    `events { worker_connections 1024; }\n\n` +
    `http {\n  error_log ${o.errorLog} warn;\n` +
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
    // What nginx may answer itself: GET or HEAD, no Range or one range as "bytes=N-[M]", nothing
    // conditional, no query (a download). Anything else asks the hub.
    // Its bounds are read into $espace_from and $espace_to (no leading zero, at most 15 digits),
    // and its unit into $espace_accept_ranges: the Accept-Ranges nginx adds to a 206 (a 200 has its own).
    `  map "$request_method|$http_range|$http_if_range$http_if_match$http_if_none_match$http_if_modified_since$http_if_unmodified_since|$args" $espace_ask_hub {\n` +
    `    "~^(GET|HEAD)\\|((?<espace_accept_ranges>bytes)=(?!${BACKWARDS})(?<espace_from>0|[1-9][0-9]{0,14})-(?<espace_to>0|[1-9][0-9]{0,14})?)?\\|\\|$" "";\n    default 1;\n  }\n` +
    // Whether a public file's range starts before its end ($sent_http_content_length, known once
    // nginx opened the file, before its headers): else nginx refuses it (416, after adding the
    // headers of the location), and the hub answers. No range: it fits (the pattern's first
    // alternative, no comparison).
    `  map "$espace_from|$sent_http_content_length" $espace_fits {\n    "~^(?:\\||${LESS_THAN.slice(1)})" 1;\n    default "";\n  }\n` +
    gated.map(([, value], i) => `  map $espace_fits ${gate(i)} {\n    1 ${value};\n    default "";\n  }\n`).join('') +
    // A play: the whole file or a range from its start, sent; the hub counts it (media-plays.ts).
    // Exact keys, no regex, the range's start first: a seek is told apart by one look-up.
    `  map $espace_from $espace_play {\n    "" $espace_play_whole;\n    0 $espace_play_start;\n    default "";\n  }\n` +
    `  map "$request_method$status" $espace_play_whole {\n    GET200 1;\n    default "";\n  }\n` +
    `  map "$request_method$status" $espace_play_start {\n    GET206 1;\n    default "";\n  }\n` +
    // The key nginx reports with each play (hub/http/media-plays.ts): made by the hub at its first
    // start behind the front; until nginx reads it (reloaded then: playsKeyUnits), a key the hub refuses.
    `  map $espace_dir $espace_play_key {\n    default none;\n  }\n  include ${o.dataDir}/${MEDIA_FRONT.playsKey.replace('.', '[.]')};\n` +
    `  log_format espace_play "$espace_play_key ${sha}";\n\n` +
    `  server {\n    listen ${o.listen} default_server;\n` +
    `    location / {\n${proxiedTo('')}    }\n` +
    // A public file (a link the hub made): sent from the store through the link, the type from
    // its extension, the hub's headers as rendered; no link (the file is not public, or the hub
    // has not answered it through the front yet), a range past the end (416), anything not
    // plain: the hub's own answer.
    `    location ~ "^/media/(?<espace_dir>[0-9a-f]{2})(?<espace_rest>[0-9a-f]{62})$" {\n` +
    `      error_page 404 418 500 = @espace_hub;\n      error_page 416 = @espace_416;\n` +
    `      if ($espace_ask_hub) { return 418; }\n` +
    // A play reported while the hub is down is refused: a warning per play otherwise.
    `      error_log ${o.errorLog} error;\n` +
    `      root ${o.dataDir}/${MEDIA_FRONT.public};\n` +
    `      try_files ${MEDIA_LINK_TYPES.map(([ext]) => `${link}.${ext}`).join(' ')} @espace_hub;\n${OPEN_LINKS}` +
    `      types {\n${MEDIA_LINK_TYPES.map(([ext, type]) => `        ${quoted(type)} ${ext};\n`).join('')}      }\n` +
    `      etag off;\n      if_modified_since off;\n      max_ranges 1;\n` +
    `      add_header Last-Modified "";\n      add_header Accept-Ranges $espace_accept_ranges;\n` +
    gated.map(([name], i) => `      add_header ${name} ${gate(i)};\n`).join('') +
    always.map(([name, value]) => `      add_header ${name} ${quoted(value)};\n`).join('') +
    `      access_log syslog:server=127.0.0.1:${hubPort},nohostname,tag=${MEDIA_FRONT.playTag} espace_play if=$espace_play;\n    }\n` +
    `    location @espace_hub {\n${proxiedTo('$request_uri')}    }\n` +
    // nginx's refusal of a public file's range: the hub's 416, without what nginx added already
    // with the same value (its own Content-Range, "bytes */<size>", and the shared headers).
    `    location @espace_416 {\n${proxiedTo('$request_uri')}` +
    ['Content-Range', 'Accept-Ranges', ...always.map(([name]) => name)].map((name) => `      proxy_hide_header ${name};\n`).join('') +
    `    }\n` +
    media(MEDIA_FRONT.ranges, `      max_ranges 1;\n      add_header Accept-Ranges $espace_ranges;\n`) +
    media(MEDIA_FRONT.whole, `      max_ranges 0;\n      add_header Accept-Ranges bytes;\n`) +
    `  }\n}\n`
  );
}

/** The path unit that reloads nginx when the hub makes the front's plays key (playsKeyUnits). */
export const PLAYS_KEY_PATH_UNIT = 'espace-plays-key.path';

/**
 * nginx reads the plays key (hub/http/media-plays.ts) only when it starts or reloads, and the
 * hub makes it at its first start behind the front. Ordering nginx after the hub covers a first
 * boot, not an upgrade that restarts nginx before the new hub has run once (nginx would send a
 * key the hub refuses until its next start): systemd watches the file and reloads nginx when it
 * appears or changes. Not at boot: a key already there was read by nginx's own start.
 */
function playsKeyUnits(): RenderedFile[] {
  const file = `${HUB_DATA_DIR}/${MEDIA_FRONT.playsKey}`;
  const path =
    header('#', "nginx reloads when the hub makes the front's plays key") +
    `[Unit]\nDescription=Espace Connecté: watch the key of the plays the nginx front reports\n` +
    // Watching before the hub starts in the same transaction (an upgrade), so its key is not missed.
    `Before=espace-hub.service\n\n` +
    `[Path]\nPathChanged=${file}\nUnit=espace-plays-key.service\n\n` +
    `[Install]\nWantedBy=multi-user.target\n`;
  const service =
    header('#', "nginx reads the front's plays key the hub made") +
    `[Unit]\nDescription=Espace Connecté: nginx reads the key of the plays it reports\n\n` +
    `[Service]\nType=oneshot\nExecStart=/usr/bin/systemctl try-reload-or-restart nginx.service\n`;
  return [
    {
      path: `/etc/systemd/system/${PLAYS_KEY_PATH_UNIT}`,
      content: path,
      mode: 0o644,
      owner: 'root',
      onChange: [{ kind: 'daemon-reload' }, restart(PLAYS_KEY_PATH_UNIT)],
    },
    { path: '/etc/systemd/system/espace-plays-key.service', content: service, mode: 0o644, owner: 'root', onChange: [{ kind: 'daemon-reload' }] },
  ];
}

/** The Pi's front: Debian's nginx with our configuration, run by its own unit with a drop-in. */
export function nginxFront(p: SpaceProfile): RenderedFile[] {
  const security = { hubId: p.hubId, tls: { domain: p.hub.tlsDomain, port: p.hub.tlsPort } };
  const conf = nginxFrontConfig({
    listen: String(FRONT_PORT),
    hub: `127.0.0.1:${p.hub.port}`,
    dataDir: HUB_DATA_DIR,
    headers: mediaFrontHeaderNames(security),
    publicHeaders: mediaFrontPublicHeaders(security),
    sharedHeaders: mediaFrontSharedHeaders(security),
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
    ...playsKeyUnits(),
  ];
}
