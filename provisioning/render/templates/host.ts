import type { SpaceProfile } from '../../profile/index.js';
import { header, xmlText } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';

export function hostname(p: SpaceProfile): RenderedFile {
  return { path: '/etc/hostname', content: `${p.hostname}\n`, mode: 0o644, owner: 'root', onChange: [{ kind: 'hostname' }] };
}

export function hosts(p: SpaceProfile): RenderedFile {
  const content =
    header('#', 'host names') +
    `127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n\n` +
    `127.0.1.1\t${p.hostname}\n${p.lan.hubAddress}\t${p.hub.dnsName}\n`;
  return { path: '/etc/hosts', content, mode: 0o644, owner: 'root', onChange: [] };
}

/**
 * The hub's mDNS publication through avahi-daemon (Raspberry Pi OS runs it): one mDNS stack
 * on the Pi, and the hub's own bonjour publication is off (`mdns: false` in its config).
 * The TXT record is fixed here; a hub publishing itself also updates status and lastSync.
 */
export function avahiService(p: SpaceProfile, version: string): RenderedFile {
  const txt = { id: p.hubId, name: p.spaceName, version, status: 'ok' };
  const records = Object.entries(txt)
    .map(([k, v]) => `    <txt-record>${xmlText(`${k}=${v}`)}</txt-record>\n`)
    .join('');
  const content =
    `<?xml version="1.0" standalone='no'?>\n<!DOCTYPE service-group SYSTEM "avahi-service.dtd">\n` +
    `<!-- Written by "espace provision": the hub on the local network. Edit the space profile rather than this file. -->\n` +
    `<service-group>\n  <name>${xmlText(`${p.spaceName} (${p.hubId})`)}</name>\n` +
    `  <service>\n    <type>_espace-hub._tcp</type>\n    <port>${p.hub.port}</port>\n${records}  </service>\n` +
    `  <service>\n    <type>_http._tcp</type>\n    <port>${p.hub.port}</port>\n  </service>\n</service-group>\n`;
  return { path: '/etc/avahi/services/espace.service', content, mode: 0o644, owner: 'root', onChange: [restart('avahi-daemon.service')] };
}
