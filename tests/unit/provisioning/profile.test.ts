import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { AppError } from '../../../content/index.js';
import { projectRoot } from '../../../hub/index.js';
import { gsmSettings, loadProfile, parseProfile, parseProfileText, profileWarnings } from '../../../provisioning/profile/index.js';
import { tempDir } from '../../support/hub.js';

const DEMO = join(projectRoot(), 'provisioning/profiles/demo.yaml');
const demo = () => parseYaml(readFileSync(DEMO, 'utf8')) as Record<string, any>;

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the profile to be refused');
}

describe('space profile', () => {
  it('loads the demo profile with its defaults filled in', () => {
    const p = loadProfile(DEMO);
    assert.equal(p.hubId, 'kayes-01');
    assert.equal(p.accessPoint.via, 'external');
    assert.equal(p.accessPoint.country, 'ML');
    assert.equal(p.hub.dnsName, 'espace.home.arpa');
    assert.equal(p.hub.port, 8080);
    assert.equal(p.install.appDir, '/opt/espace');
    assert.equal(p.install.node, '/usr/local/bin/node', 'one Node path: the official build the image installs');
    assert.equal(p.os, 'trixie');
    assert.match(profileWarnings(p).join('\n'), /external access point by hand/);
  });

  it('warns that the built-in radio serves only a handful of phones', () => {
    const d = demo();
    d.lan.interface = 'wlan0';
    d.accessPoint.via = 'networkmanager';
    assert.match(profileWarnings(parseProfile(d)).join('\n'), /handful of phones/);
  });

  const bad: [string, (d: Record<string, any>) => void, RegExp][] = [
    ['a missing hub id', (d) => delete d.hubId, /hubId/],
    ['a hub id with capitals', (d) => (d.hubId = 'Kayes 01'), /hubId: must be 2–40 lowercase/],
    ['a short Wi-Fi passphrase', (d) => (d.accessPoint.passphrase = 'short'), /accessPoint\.passphrase: must be 8 to 63/],
    ['a hub address outside the subnet', (d) => (d.lan.hubAddress = '192.168.1.1'), /lan\.hubAddress: must be a host address inside 10\.42\.0\.0\/24/],
    ['a hub address inside the DHCP range', (d) => (d.lan.hubAddress = '10.42.0.60'), /lan\.hubAddress: must be outside the DHCP range/],
    ['a DHCP range backwards', (d) => (d.lan.dhcp = { from: '10.42.0.200', to: '10.42.0.100' }), /lan\.dhcp\.to: must come after/],
    ['a subnet that is not a network', (d) => (d.lan.subnet = '10.42.0.7/24'), /lan\.subnet: must be an IPv4 network/],
    ['the Pi radio on eth0', (d) => (d.accessPoint.via = 'networkmanager'), /lan\.interface: must be the Pi's radio/],
    ['a 5 GHz channel on 2.4 GHz', (d) => (d.accessPoint.channel = 40), /accessPoint\.channel: channel must be 1–13/],
    ['a lowercase country', (d) => (d.accessPoint.country = 'ml'), /accessPoint\.country: must be a two-letter/],
    ['port 80 for the hub', (d) => (d.hub.port = 80), /hub\.port: must be 1024 or above/],
    ['a central user without password', (d) => delete d.central.password, /central\.password: give both/],
    ['a kiosk PIN with letters', (d) => (d.kiosk.pin = '12ab'), /kiosk\.pin: must be 4 to 8 digits/],
    ['a misspelt key', (d) => (d.accesPoint = {}), /accesPoint: unknown key; did you mean "accessPoint"\?/],
    ['a misspelt nested key', (d) => (d.kiosk.idleSecond = 60), /kiosk\.idleSecond: unknown key; did you mean "idleSeconds"\?/],
    ['a key with no near match', (d) => (d.hub.zzzz = 1), /hub\.zzzz: unknown key; the keys allowed here are port, dnsName/],
    ['an unknown operator', (d) => (d.uplink = { gsm: { operator: 'telecel' } }), /uplink\.gsm\.operator: must be one of orange-mali, moov-malitel/],
    ['a gsm uplink with neither operator nor apn', (d) => (d.uplink = { gsm: {} }), /uplink\.gsm\.apn: give operator/],
    [
      "the wired uplink on the phones' interface",
      (d) => (d.uplink = { wired: { interface: 'eth0' } }),
      /uplink\.wired\.interface: must differ from lan\.interface/,
    ],
    ['a read-only root without a data partition', (d) => (d.storage = { readOnlyRoot: true }), /storage\.dataDevice: is needed with readOnlyRoot/],
    ['an unknown OS release', (d) => (d.os = 'bullseye'), /os: must be "trixie"/],
    ['a bad sync window', (d) => (d.sync.windows = [{ from: '25:00', to: '06:00' }]), /sync\.windows\.0\.from: must be a time/],
  ];
  for (const [what, change, message] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      const d = demo();
      change(d);
      const e = errorOf(() => parseProfile(d, 'my-space.yaml'));
      assert.equal(e.reason, 'profile-invalid');
      assert.match(e.details, /^my-space\.yaml is wrong \(\d+ problems?\)/);
      assert.match(e.details, message);
    });
  }

  it('outside the demo, refuses the demo PIN, guessable PINs and change-me passwords', () => {
    for (const pin of ['2468', '0000', '1234', '9876']) {
      const d: Record<string, any> = { ...demo(), demo: false, kiosk: { ...demo().kiosk, pin } };
      d.central.password = 'a-real-secret-42';
      assert.match(errorOf(() => parseProfile(d)).details, /kiosk\.pin: "\d+" is the demo's PIN or one anyone would guess/, pin);
    }
    const d = demo();
    delete d.demo;
    d.kiosk.pin = '5094';
    d.accessPoint.passphrase = 'ChangeMe-please';
    const e = errorOf(() => parseProfile(d, 'kayes.yaml'));
    assert.match(e.details, /central\.password: is a placeholder everyone knows/);
    assert.match(e.details, /accessPoint\.passphrase: is a placeholder everyone knows/);
    assert.match(e.details, /\(2 problems\)/);
    d.central.password = 'kq8-Zr2!vT';
    d.accessPoint.passphrase = 'a real passphrase';
    assert.equal(parseProfile(d).kiosk.pin, '5094');
    // The demo itself keeps its well-known values, with a warning.
    assert.match(profileWarnings(parseProfile(demo())).join('\n'), /demo: true/);
  });

  it('gives the line of each wrong field in the file, and "did you mean" for a misspelt key', () => {
    const text = readFileSync(DEMO, 'utf8').replace('  idleSeconds: 90', '  idleSecnds: 90').replace('  hubAddress: 10.42.0.1', '  hubAddress: 192.168.1.1');
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const e = errorOf(() => parseProfileText(text, 'kayes.yaml'));
    assert.match(e.details, new RegExp(`line ${lineOf('idleSecnds')}: kiosk\\.idleSecnds: unknown key; did you mean "idleSeconds"\\?`));
    assert.match(e.details, new RegExp(`line ${lineOf('hubAddress: 192')}: lan\\.hubAddress: must be a host address inside 10\\.42\\.0\\.0/24`));
    // A missing key points at the map that should hold it.
    const noPin = text.replace(/^ {2}pin: "2468"\n/m, '');
    assert.match(errorOf(() => parseProfileText(noPin, 'kayes.yaml')).details, new RegExp(`line ${lineOf('kiosk:') + 1}: kiosk\\.pin: is missing`));
    assert.match(errorOf(() => parseProfileText('hubId: [kayes\n', 'x.yaml')).details, /x\.yaml is not valid YAML \(line \d+\)/);
  });

  it("knows the Malian operators' APNs, and a profile's own APN wins", () => {
    assert.deepEqual(gsmSettings({ operator: 'orange-mali' }), { apn: 'internet', username: 'internet', password: 'internet' });
    assert.equal(gsmSettings({ operator: 'moov-malitel' }).apn, 'web.malitel3.ml');
    assert.deepEqual(gsmSettings({ operator: 'orange-mali', apn: 'orange.ml' }), { apn: 'orange.ml' });
    assert.match(profileWarnings(parseProfile(demo())).join('\n'), /not yet confirmed in Mali/);
  });

  it('explains a file that is not YAML, or missing', () => {
    const dir = tempDir();
    try {
      const f = join(dir.path, 'broken.yaml');
      writeFileSync(f, 'hubId: [unclosed\n');
      assert.match(errorOf(() => loadProfile(f)).details, /broken\.yaml is not valid YAML/);
      writeFileSync(f, '- just\n- a list\n');
      assert.match(errorOf(() => loadProfile(f)).details, /must hold "key: value" pairs/);
      assert.equal(errorOf(() => loadProfile(join(dir.path, 'nope.yaml'))).reason, 'profile-missing');
    } finally {
      dir.remove();
    }
  });
});
