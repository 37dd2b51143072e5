import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { loadConfig, projectRoot, YOUNG_GENERATION_MB } from '../../../hub/config/index.js';
import { parseProfile, type SpaceProfile } from '../../../provisioning/profile/index.js';
import { planTree, renderProfile, writeTree } from '../../../provisioning/render/index.js';
import { runCli } from '../../support/cli.js';
import { tempDir } from '../../support/hub.js';

const exec = promisify(execFile);
const DEMO = join(projectRoot(), 'provisioning/profiles/demo.yaml');
const demoValue = () => parseYaml(readFileSync(DEMO, 'utf8')) as Record<string, any>;

/** The demo with the Pi's own radio, driven by NetworkManager or hostapd, with a passphrase. */
function radioProfile(via: 'networkmanager' | 'hostapd', extra: Record<string, any> = {}): SpaceProfile {
  const d = demoValue();
  d.lan.interface = 'wlan0';
  d.accessPoint = { ...d.accessPoint, via, passphrase: 'kayes \\ "wifi" 2026', ssid: 'Espace Connecté Kayes' };
  return parseProfile({ ...d, ...extra });
}

async function renderInto(root: string, p: SpaceProfile): Promise<void> {
  await writeTree(root, await planTree(root, renderProfile(p, '0.1.0').files));
}

/** A root where systemd-analyze finds systemd's own units and a stub for every ExecStart binary. */
function prepareSystemdRoot(root: string): void {
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true });
  for (const bin of ['usr/local/bin/node', 'usr/sbin/nft', 'usr/sbin/ip', 'usr/bin/curl', 'usr/bin/systemctl']) {
    mkdirSync(dirname(join(root, bin)), { recursive: true });
    writeFileSync(join(root, bin), '#!/bin/sh\n');
    chmodSync(join(root, bin), 0o755);
  }
}

async function verifyUnit(root: string, unit: string): Promise<string> {
  const { stderr } = await exec('systemd-analyze', ['verify', '--man=no', `--root=${root}`, unit]);
  return stderr;
}

/** Parses an ini/keyfile into "section.key" → value. */
function keyfile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const line of text.split('\n')) {
    const s = /^\[(.+)\]$/.exec(line.trim());
    if (s) section = s[1]!;
    else if (line.includes('=') && !line.startsWith('#')) {
      let value = line.slice(line.indexOf('=') + 1);
      // NetworkManager writes a non-ASCII SSID as its bytes ("69;115;…;"): the same value.
      if (/^(\d+;)+$/.test(value)) value = Buffer.from(value.split(';').filter(Boolean).map(Number)).toString('utf8');
      out.set(`${section}.${line.slice(0, line.indexOf('='))}`, value);
    }
  }
  return out;
}

/** NetworkManager reads the keyfile and writes it back; any value it dropped or changed shows. */
async function nmRoundTrip(file: string): Promise<{ ours: Map<string, string>; nm: Map<string, string> }> {
  const text = readFileSync(file, 'utf8');
  const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
    const child = execFile('nmcli', ['--offline', 'connection', 'modify', 'connection.autoconnect', 'yes'], (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout })
    );
    child.stdin!.end(text);
  });
  return { ours: keyfile(text), nm: keyfile(stdout) };
}

describe('provision render: a space with an HTTPS name (hub.tlsDomain)', () => {
  let dir: { path: string; remove(): void };
  let root: string;
  before(async () => {
    dir = tempDir('espace-render-tls-');
    root = join(dir.path, 'root');
    const profile = demoValue() as { hub?: Record<string, unknown> };
    profile.hub = { ...(profile.hub ?? {}), tlsDomain: 'hubs.espace-mali.org' };
    await renderInto(root, parseProfile(profile));
  });
  after(() => dir.remove());

  it('answers the HTTPS name with the hub, advertises the RFC 8908 API in option 114, sends 443 to the hub, and the hub loads it', async () => {
    const dns = join(root, 'etc/dnsmasq.d/espace.conf');
    assert.match((await exec('dnsmasq', ['--test', `--conf-file=${dns}`])).stderr, /syntax check OK/);
    const text = readFileSync(dns, 'utf8');
    assert.match(text, /^address=\/kayes-01\.hubs\.espace-mali\.org\/10\.42\.0\.1$/m);
    assert.match(text, /^dhcp-option=eth0,114,"https:\/\/kayes-01\.hubs\.espace-mali\.org\/captive-portal\/api"$/m);
    const nft = join(root, 'etc/espace/nftables.nft');
    const { stdout } = await exec('unshare', ['-rn', 'sh', '-c', `nft -f ${nft} && nft list ruleset`]);
    assert.match(stdout, /iifname "eth0" tcp dport 443 redirect to :8443/);
    assert.match(stdout, /tcp dport \{ 22, 53, 80, 8080, 8443 \} accept/);
    const config = loadConfig({ file: join(root, 'etc/espace/espace.yaml'), env: {} });
    assert.deepEqual(config.tls, { domain: 'hubs.espace-mali.org', port: 8443, publicPort: 443 });
  });
});

describe('provision render: the demo profile, checked by the real tools', () => {
  let dir: { path: string; remove(): void };
  let root: string;
  before(async () => {
    dir = tempDir('espace-render-');
    root = join(dir.path, 'root');
    await renderInto(root, parseProfile(demoValue()));
  });
  after(() => dir.remove());

  it("gives the hub a configuration it loads, with the profile's values and no secret", () => {
    const file = join(root, 'etc/espace/espace.yaml');
    const config = loadConfig({ file, env: {} });
    assert.equal(config.hubId, 'kayes-01');
    assert.equal(config.dataDir, '/var/lib/espace');
    assert.equal(config.dnsName, 'espace.home.arpa');
    assert.equal(config.trustDemoKey, false);
    assert.equal(config.seedDemo, false);
    assert.equal(config.mdns, false, 'avahi publishes, so the hub must not');
    assert.equal(config.central.url, 'https://central.espace-connecte.ml/');
    assert.deepEqual(config.sync.windows, [
      { from: '22:00', to: '06:00' },
      { from: '12:00', to: '14:00' },
    ]);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /change-me-on-the-real-card/);
    const secrets = join(root, 'etc/espace/secrets.env');
    assert.equal(statSync(secrets).mode & 0o777, 0o600);
    assert.match(readFileSync(secrets, 'utf8'), /^ESPACE_CENTRAL_PASSWORD="change-me-on-the-real-card"$/m);
    // The kiosk's PIN is in the configuration: root and the espace group only.
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.equal(renderProfile(parseProfile(demoValue()), '0.1.0').files.find((f) => f.path === '/etc/espace/espace.yaml')?.group, 'espace');
  });

  it('writes a dnsmasq configuration dnsmasq accepts, with the captive DNS and option 114', async () => {
    const file = join(root, 'etc/dnsmasq.d/espace.conf');
    const { stderr } = await exec('dnsmasq', ['--test', `--conf-file=${file}`]);
    assert.match(stderr, /syntax check OK/);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^address=\/#\/10\.42\.0\.1$/m);
    assert.match(text, /^dhcp-option=eth0,114,"http:\/\/espace\.home\.arpa\/"$/m);
    assert.match(text, /^interface=eth0$/m);
    assert.match(text, /^local-ttl=0$/m);
  });

  it('writes nftables rules that nft checks and really loads in a throwaway namespace', async () => {
    const file = join(root, 'etc/espace/nftables.nft');
    await exec('nft', ['-c', '-f', file]);
    // Loaded twice: the file replaces its own table, so a reload never doubles the rules.
    const { stdout } = await exec('unshare', ['-rn', 'sh', '-c', `nft -f ${file} && nft -f ${file} && nft list ruleset`]);
    assert.equal(stdout.match(/table inet espace/g)?.length, 1);
    assert.match(stdout, /iifname "eth0" tcp dport 80 redirect to :80\n/);
    assert.match(stdout, /iifname "eth0" meta l4proto tcp reject with tcp reset/);
    assert.match(stdout, /chain input \{\n\t\ttype filter hook input priority filter; policy drop;/);
    assert.match(stdout, /chain forward \{\n\t\ttype filter hook forward priority filter; policy drop;/);
    // ssh and the hub in the LAN's chain only.
    assert.match(stdout, /chain lan \{[\s\S]*?tcp dport \{ 22, 53, 80, 8080 \} accept/);
  });

  it('writes systemd units that systemd-analyze verifies without a word', async () => {
    prepareSystemdRoot(root);
    for (const unit of [
      'espace-hub.service',
      'espace-firewall.service',
      'espace-firstboot.service',
      'espace-hub-watchdog.service',
      'espace-hub-watchdog.timer',
      'espace-hub-restart.service',
      'espace-plays-key.path',
      'espace-plays-key.service',
    ]) {
      assert.equal(await verifyUnit(root, unit), '', `${unit} has warnings`);
    }
    const { stdout } = await exec('systemd-analyze', ['security', '--offline=yes', `--root=${root}`, 'espace-hub.service']);
    const score = Number(/Overall exposure level for espace-hub\.service: ([\d.]+)/.exec(stdout)?.[1]);
    process.stdout.write(`# systemd-analyze security: espace-hub.service exposure ${score}\n`);
    assert.ok(score > 0 && score <= 2.5, `hardening exposure ${score} should be 2.5 or less`);
    const hub = readFileSync(join(root, 'etc/systemd/system/espace-hub.service'), 'utf8');
    for (const line of [
      'User=espace',
      'Restart=always',
      'StateDirectory=espace',
      // The validated configuration kept out of the data dir (and so out of backups): hub/config/cached.ts.
      'CacheDirectory=espace',
      'Environment=ESPACE_CONFIG_CACHE=/var/cache/espace/config.json',
      'ProtectSystem=strict',
      'NoNewPrivileges=yes',
      'CapabilityBoundingSet=',
      'SystemCallFilter=@system-service',
    ]) {
      assert.match(hub, new RegExp(`^${line}$`, 'm'));
    }
    // The memory settings (hub/config/node-flags.ts): Node starts with the unit's NODE_OPTIONS
    // (it refuses some V8 flags there), and with ExecStart's flags on its command line.
    assert.match(hub, /^Environment=MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=131072$/m);
    const nodeOptions = /^Environment="NODE_OPTIONS=([^"]*)"$/m.exec(hub)?.[1] ?? '';
    // The unit runs the bundled command line (provisioning/bundle.ts), as make start and the tests do.
    const execFlags = (/^ExecStart=\S+ (.*?) \/opt\/espace\/dist\/bundle\/espace\.js start --config /m.exec(hub)?.[1] ?? '').split(' ');
    assert.ok(nodeOptions.includes('--max-old-space-size=') && execFlags.includes('--heap-growing-percent=10'), hub);
    // The young generation sized for registrations waiting on their fsync (node-flags.ts).
    assert.ok(nodeOptions.split(' ').includes(`--max-semi-space-size=${YOUNG_GENERATION_MB}`), hub);
    await exec(process.execPath, [...execFlags, '-e', '0'], { env: { ...process.env, NODE_OPTIONS: nodeOptions } });
  });

  it("writes the kiosk as a user unit systemd verifies, in the kiosk account's labwc session", async () => {
    const runtime = join(dir.path, 'xdg');
    mkdirSync(runtime, { mode: 0o700 });
    // The user manager checks ExecStart on this machine: point it at the node running this test.
    const local = join(dir.path, 'local');
    await renderInto(local, parseProfile({ ...demoValue(), install: { node: process.execPath } }));
    const { stderr } = await exec('systemd-analyze', ['verify', '--man=no', '--user', join(local, 'etc/systemd/user/espace-kiosk.service')], {
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
    });
    assert.equal(stderr, '');
    assert.match(readFileSync(join(local, 'etc/systemd/user/espace-kiosk.service'), 'utf8'), /^Type=simple$/m);
    // With the kiosk's watchdog asked for: Type=notify, and systemd still verifies it silently.
    const watched = join(dir.path, 'watched');
    const d = demoValue();
    await renderInto(watched, parseProfile({ ...d, kiosk: { ...d.kiosk, watchdogSeconds: 60 }, install: { node: process.execPath } }));
    const unit = join(watched, 'etc/systemd/user/espace-kiosk.service');
    assert.match(readFileSync(unit, 'utf8'), /^Type=notify\n(#.*\n)?NotifyAccess=all\nWatchdogSec=60$/m);
    const verified = await exec('systemd-analyze', ['verify', '--man=no', '--user', unit], { env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
    assert.equal(verified.stderr, '');
    const lightdm = readFileSync(join(root, 'etc/lightdm/lightdm.conf'), 'utf8');
    assert.match(lightdm, /^\[Seat:\*\]\nautologin-user=kiosk\nautologin-user-timeout=0\nautologin-session=rpd-labwc\nuser-session=rpd-labwc\n$/);
    const autostart = readFileSync(join(root, 'home/kiosk/.config/labwc/autostart'), 'utf8');
    assert.match(autostart, /systemctl --user start espace-kiosk\.service/);
    // Added to Raspberry Pi OS's own autostart, which runs first.
    assert.ok(autostart.indexOf('sh /etc/xdg/labwc/autostart') < autostart.indexOf('espace-kiosk'));
    assert.match(readFileSync(join(root, 'etc/systemd/user/espace-kiosk.service'), 'utf8'), /^Environment=ELECTRON_PATH=\/opt\/electron\/electron$/m);
  });

  it('gives eth0 a fixed address NetworkManager keeps as written', async () => {
    const file = join(root, 'etc/NetworkManager/system-connections/espace-lan.nmconnection');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const { ours, nm } = await nmRoundTrip(file);
    for (const [k, v] of ours) assert.equal(nm.get(k), v, `NetworkManager changed or dropped ${k}`);
  });

  it('publishes the hub through avahi and spares the SD card', () => {
    const avahi = readFileSync(join(root, 'etc/avahi/services/espace.service'), 'utf8');
    assert.match(avahi, /<type>_espace-hub\._tcp<\/type>/);
    assert.match(avahi, /<txt-record>id=kayes-01<\/txt-record>/);
    assert.doesNotMatch(avahi, /password|change-me/);
    const journald = readFileSync(join(root, 'etc/systemd/journald.conf.d/espace.conf'), 'utf8');
    assert.match(journald, /^Storage=volatile$/m);
    assert.match(journald, /^RuntimeMaxUse=32M$/m);
    assert.match(readFileSync(join(root, 'etc/systemd/zram-generator.conf'), 'utf8'), /^zram-size = ram \* 0\.50$/m);
    assert.match(readFileSync(join(root, 'etc/systemd/system.conf.d/espace-watchdog.conf'), 'utf8'), /^RuntimeWatchdogSec=15s$/m);
    assert.equal(readFileSync(join(root, 'etc/hostname'), 'utf8'), 'espace-kayes-01\n');
    assert.match(readFileSync(join(root, 'etc/hosts'), 'utf8'), /^10\.42\.0\.1\tespace\.home\.arpa$/m);
  });
});

describe("provision render: the Pi's own radio", () => {
  let dir: { path: string; remove(): void };
  before(() => {
    dir = tempDir('espace-render-radio-');
  });
  after(() => dir.remove());

  it("writes a NetworkManager access point that survives NetworkManager's own round trip", async () => {
    const root = join(dir.path, 'nm');
    await renderInto(root, radioProfile('networkmanager'));
    const file = join(root, 'etc/NetworkManager/system-connections/espace-ap.nmconnection');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const { ours, nm } = await nmRoundTrip(file);
    for (const [k, v] of ours) assert.equal(nm.get(k), v, `NetworkManager changed or dropped ${k}`);
    assert.equal(nm.get('wifi.mode'), 'ap');
    assert.equal(nm.get('wifi.ap-isolation'), '1');
    assert.equal(nm.get('wifi-security.key-mgmt'), 'wpa-psk');
    assert.equal(nm.get('ipv4.method'), 'manual');
    assert.equal(nm.get('wifi.ssid'), 'Espace Connecté Kayes');
    assert.match(readFileSync(join(root, 'etc/modprobe.d/espace-wifi-country.conf'), 'utf8'), /^options cfg80211 ieee80211_regdom=ML$/m);
    const { stderr } = await exec('dnsmasq', ['--test', `--conf-file=${join(root, 'etc/dnsmasq.d/espace.conf')}`]);
    assert.match(stderr, /syntax check OK/);
  });

  it('writes hostapd with wlan0 left alone by NetworkManager, and a unit for its address', async () => {
    const root = join(dir.path, 'hostapd');
    await renderInto(root, radioProfile('hostapd'));
    const conf = readFileSync(join(root, 'etc/hostapd/hostapd.conf'), 'utf8');
    assert.equal(statSync(join(root, 'etc/hostapd/hostapd.conf')).mode & 0o777, 0o600);
    for (const line of ['interface=wlan0', 'country_code=ML', 'ap_isolate=1', 'wpa=2', 'hw_mode=g', 'channel=6'])
      assert.match(conf, new RegExp(`^${line}$`, 'm'));
    assert.match(readFileSync(join(root, 'etc/NetworkManager/conf.d/espace-unmanaged.conf'), 'utf8'), /^unmanaged-devices=interface-name:wlan0$/m);
    prepareSystemdRoot(root);
    assert.equal(await verifyUnit(root, 'espace-ap-address.service'), '');
  });
});

describe('espace provision render (command line)', () => {
  let dir: { path: string; remove(): void };
  before(() => {
    dir = tempDir('espace-render-cli-');
  });
  after(() => dir.remove());

  it('writes everything once, then changes nothing and says so; --dry-run shows a diff and writes nothing', async () => {
    const root = join(dir.path, 'root');
    const first = await runCli(['provision', 'render', '--profile', DEMO, '--root', root]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /new +\/etc\/dnsmasq\.d\/espace\.conf/);
    const before = readFileSync(join(root, 'etc/espace/espace.yaml'), 'utf8');
    const second = await runCli(['provision', 'render', '--profile', DEMO, '--root', root]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /nothing to change/);

    // A changed profile: the dry run shows a unified diff (and never a secret), and writes nothing.
    const changed = join(dir.path, 'changed.yaml');
    writeFileSync(
      changed,
      readFileSync(DEMO, 'utf8').replace('dailyBudgetMB: 50', 'dailyBudgetMB: 80').replace('change-me-on-the-real-card', 'another-secret')
    );
    const dry = await runCli(['provision', 'render', '--profile', changed, '--root', root, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^--- a\/etc\/espace\/espace\.yaml$/m);
    assert.match(dry.stdout, /^- {2}dailyBudgetMB: 50$/m);
    assert.match(dry.stdout, /^\+ {2}dailyBudgetMB: 80$/m);
    assert.match(dry.stdout, /changed \/etc\/espace\/secrets\.env \(secret: content not shown\)/);
    assert.doesNotMatch(dry.stdout, /another-secret|change-me/);
    assert.equal(readFileSync(join(root, 'etc/espace/espace.yaml'), 'utf8'), before);
  });

  it('refuses a bad profile with the field named, and apply refuses off a Pi', async () => {
    const bad = join(dir.path, 'bad.yaml');
    writeFileSync(bad, readFileSync(DEMO, 'utf8').replace('hubAddress: 10.42.0.1', 'hubAddress: 10.43.0.1'));
    const r = await runCli(['provision', 'render', '--profile', bad, '--root', join(dir.path, 'x')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^espace: [\s\S]*line \d+: lan\.hubAddress: must be a host address inside 10\.42\.0\.0\/24/m);
    const apply = await runCli(['provision', 'apply', '--profile', DEMO]);
    assert.notEqual(apply.code, 0);
    assert.match(apply.stderr, process.getuid?.() === 0 ? /not a Raspberry Pi/ : /run it as root/);
  });
});
