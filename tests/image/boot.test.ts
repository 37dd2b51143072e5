import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify, stripVTControlCharacters } from 'node:util';
import { parseDocument } from 'yaml';
import { projectRoot } from '../../hub/config/index.js';
import { freePort, tempDir } from '../support/hub.js';
import { VmShell } from '../support/vm-shell.js';

const exec = promisify(execFile);
const KVM = existsSync('/dev/kvm');
/** Software emulation boots a Debian with desktop packages in a few minutes on a shared machine. */
const BOOT_TIMEOUT_MS = Number(process.env.ESPACE_BOOT_TIMEOUT_S ?? (KVM ? 180 : 900)) * 1000;
const BUILD_TIMEOUT_MS = 20 * 60_000;
/** For the kiosk page in Chromium, from the kiosk check on: its title came 1-2 minutes after Chromium started under TCG on a loaded machine. */
const KIOSK_TIMEOUT_MS = Number(process.env.ESPACE_KIOSK_TIMEOUT_S ?? (KVM ? 120 : 600)) * 1000;
/** The page the kiosk shows, as the test image's Chromium opens it (tests/support/image-disk.sh). */
const KIOSK_URL = 'http://127.0.0.1:8080/kiosk';
/** Where the screen of the kiosk is kept for the report. */
const SCREEN_DIR = join(projectRoot(), 'var', 'test-image');

/** What a TCP client sees within a few seconds: the first line of an answer, the port closed, or nothing (dropped). */
async function probe(port: number, send = ''): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const s = connect(port, '127.0.0.1', () => s.write(send));
    const done = (what: string) => {
      s.destroy();
      resolve(what);
    };
    s.setTimeout(6000, () => done(data ? `answered: ${data.split(/\r?\n/)[0]}` : 'no answer'));
    s.on('data', (b: Buffer) => {
      data += b.toString();
      if (data.includes('\n')) done(`answered: ${data.split(/\r?\n/)[0]}`);
    });
    s.on('end', () => done(data ? `answered: ${data.split(/\r?\n/)[0]}` : 'closed'));
    s.on('error', (e) => done(`error ${e.message}`));
  });
}
const get = (path: string) => `GET ${path} HTTP/1.0\r\nHost: espace.home.arpa\r\n\r\n`;

/** One command to qemu's human monitor; its answer once the next prompt comes. */
async function monitorCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    let sent = false;
    const s = connect(socketPath);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`qemu's monitor did not answer "${command}" within 60 s: ${data}`));
    }, 60_000);
    s.on('data', (b: Buffer) => {
      data += b.toString();
      if (!data.includes('(qemu)')) return;
      if (!sent) {
        sent = true;
        data = '';
        s.write(`${command}\n`);
      } else {
        clearTimeout(timer);
        s.end();
        resolve(stripVTControlCharacters(data));
      }
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** A binary PPM (P6, 8 bits, what qemu's screendump writes): its size, and how uniform it is. */
function screenColours(ppm: Buffer): { width: number; height: number; distinct: number; dominantShare: number } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`not an 8-bit binary PPM: ${JSON.stringify(ppm.subarray(0, 16).toString('latin1'))}`);
  const [width, height] = [Number(header[1]), Number(header[2])];
  const counts = new Map<number, number>();
  for (let i = header[0].length; i + 2 < ppm.length; i += 3) {
    const rgb = (ppm[i]! << 16) | (ppm[i + 1]! << 8) | ppm[i + 2]!;
    counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  return { width, height, distinct: counts.size, dominantShare: Math.max(...counts.values()) / (width * height) };
}

/**
 * make test-image: the golden image (the cached Debian Trixie root, Debian's kernel, the app and
 * Node where the pi-gen stage puts them, `espace provision apply --root` with the demo profile)
 * booted under qemu. x86-64 stands in for the Pi's arm64: the same Debian, systemd and units.
 * Two networks, as a space has: the phones' on eth0 (qemu's user network as 10.42.0.0/24, the hub
 * at 10.42.0.1), so /health is asked the way a phone asks, tcp/80 through the firewall's redirect;
 * and a wired uplink on eth1 (another user network, 10.0.2.0/24, DHCP, the profile's
 * `uplink.wired`), from which the hub's ports are knocked at. The VM's second serial port is a
 * root shell (test image only) to look inside.
 */
describe('the golden image boots under qemu', { timeout: BUILD_TIMEOUT_MS + BOOT_TIMEOUT_MS + KIOSK_TIMEOUT_MS + 10 * 60_000 }, () => {
  const dir = tempDir('espace-image-');
  const consoleLog = join(dir.path, 'console.log');
  const monitor = join(dir.path, 'monitor.sock');
  const shellSock = join(dir.path, 'shell.sock');
  let vm: ChildProcess | undefined;
  let exited: Promise<number | null> | undefined;
  let shell: VmShell | undefined;
  let bootStarted = 0;
  const lan = { http: 0, hub: 0, ssh: 0 };
  const up = { http: 0, hub: 0, ssh: 0 };

  before(
    async () => {
      // The demo profile with what this VM has: a wired uplink on eth1, and Debian's labwc
      // session (Raspberry Pi OS's rpd-labwc is not in Debian).
      const profile = parseDocument(readFileSync(join(projectRoot(), 'provisioning/profiles/demo.yaml'), 'utf8'));
      profile.setIn(['uplink', 'wired'], profile.createNode({ interface: 'eth1' }));
      profile.setIn(['kiosk', 'session'], 'labwc');
      const profilePath = join(dir.path, 'profile.yaml');
      writeFileSync(profilePath, profile.toString());
      const { stderr } = await exec('bash', [join(projectRoot(), 'tests/support/image-disk.sh'), dir.path, profilePath], {
        maxBuffer: 64 << 20,
        timeout: BUILD_TIMEOUT_MS,
      });
      const applied = /provision apply --root: .*/.exec(stderr)?.[0];
      if (applied) process.stdout.write(`# ${applied}\n`);
      for (const ports of [lan, up]) for (const k of ['http', 'hub', 'ssh'] as const) ports[k] = await freePort();
    },
    { timeout: BUILD_TIMEOUT_MS }
  );

  after(async () => {
    shell?.close();
    // A function, not inline: TypeScript would keep the first test's narrowing across the wait.
    const running = (p: ChildProcess) => p.exitCode === null && p.signalCode === null;
    if (vm && running(vm)) {
      // An orderly shutdown (the ACPI power button, which systemd-logind turns into poweroff), then the plug.
      const s = connect(monitor, () => s.write('system_powerdown\n'));
      s.on('error', () => {});
      const end = Date.now() + 90_000;
      while (running(vm) && Date.now() < end) await sleep(1000);
      s.destroy();
      const off = !running(vm);
      if (!off) vm.kill('SIGKILL');
      process.stdout.write(`# the VM ${off ? 'powered off' : 'did not power off within 90 s: killed'}\n`);
      await Promise.race([exited, sleep(5000)]);
    }
    dir.remove();
  });

  const tail = () =>
    existsSync(consoleLog) ? stripVTControlCharacters(readFileSync(consoleLog, 'utf8')).split('\n').slice(-40).join('\n') : '(no console output)';

  it("boots, systemd starts espace-hub, and /health answers on the phones' port 80", async () => {
    const started = (bootStarted = Date.now());
    const fwd = (p: typeof lan, guest: string) =>
      `hostfwd=tcp:127.0.0.1:${p.http}-${guest}:80,hostfwd=tcp:127.0.0.1:${p.hub}-${guest}:8080,hostfwd=tcp:127.0.0.1:${p.ssh}-${guest}:22`;
    vm = spawn(
      'qemu-system-x86_64',
      [
        ...(KVM ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg']),
        // Chromium, standing in for the kiosk's Electron, takes about 350 MB beside the hub.
        '-m',
        '1536',
        '-smp',
        '2',
        '-kernel',
        join(dir.path, 'vmlinuz'),
        '-initrd',
        join(dir.path, 'initrd.img'),
        // net.ifnames=0: the first card is eth0, the name the profile's LAN has on a Pi.
        '-append',
        'root=/dev/vda rw console=ttyS0 net.ifnames=0 panic=-1',
        '-drive',
        `file=${join(dir.path, 'disk.img')},if=virtio,format=raw`,
        '-netdev',
        `user,id=lan,net=10.42.0.0/24,host=10.42.0.2,dhcpstart=10.42.0.100,${fwd(lan, '10.42.0.1')}`,
        '-device',
        'virtio-net-pci,netdev=lan',
        // The uplink: qemu's DHCP gives eth1 10.0.2.15; the host is 10.0.2.2 from inside.
        '-netdev',
        `user,id=up,net=10.0.2.0/24,${fwd(up, '')}`,
        '-device',
        'virtio-net-pci,netdev=up',
        // A display card (bochs-drm) for the kiosk's labwc session to draw on; nobody watches it.
        '-vga',
        'std',
        '-display',
        'none',
        // No emulated watchdog for the profile's RuntimeWatchdogSec: under TCG on a loaded machine the
        // guest's vCPU can stall past 15 s while the device's timer runs on, and resets a sound boot.
        // -no-reboot: a reset (a panic, panic=-1) ends qemu, and the test says so.
        '-no-reboot',
        '-serial',
        `file:${consoleLog}`,
        '-serial',
        `unix:${shellSock},server,nowait`,
        '-monitor',
        `unix:${monitor},server,nowait`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    );
    let qemuErr = '';
    vm.stderr?.on('data', (b: Buffer) => (qemuErr += b.toString()));
    exited = new Promise((r) => vm?.on('exit', (code) => r(code)));

    let health: { status: number; body: Record<string, unknown> } | undefined;
    while (!health) {
      if (vm.exitCode !== null) assert.fail(`qemu exited (${vm.exitCode}) before /health answered: ${qemuErr}\n--- console ---\n${tail()}`);
      if (Date.now() - started > BOOT_TIMEOUT_MS)
        assert.fail(`no answer from /health within ${BOOT_TIMEOUT_MS / 1000} s (${KVM ? 'KVM' : 'TCG'})\n--- console ---\n${tail()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${lan.http}/health`, { signal: AbortSignal.timeout(5000) });
        health = { status: res.status, body: (await res.json()) as Record<string, unknown> };
      } catch {
        await sleep(2000);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`# boot to /health under qemu (${KVM ? 'KVM' : 'TCG, software emulation'}, x86-64): ${seconds.toFixed(1)} s\n`);
    assert.equal(health.status, 200, JSON.stringify(health.body));
    assert.equal(health.body.status, 'ok');
    assert.equal(health.body.hubId, 'kayes-01');
    assert.equal(health.body.version, (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version);
    shell = await VmShell.open(shellSock, 120_000);
    // The hub is the one systemd started from the unit provision rendered (Type=notify: active
    // once its READY=1 came, which follows listening by a moment), and none of ours failed.
    let state = '';
    for (const end = Date.now() + 120_000; Date.now() < end;) {
      state = (await shell.run('systemctl is-active espace-hub.service')).out.trim();
      if (state === 'active') break;
      await sleep(2000);
    }
    assert.equal(state, 'active', `espace-hub.service never became active (READY=1 not taken?)\n--- console ---\n${tail()}`);
    assert.equal((await shell.run('systemctl show -P Type espace-hub.service')).out.trim(), 'notify');
    const log = stripVTControlCharacters(readFileSync(consoleLog, 'utf8'));
    assert.match(log, /Finished espace-firewall\.service/);
    assert.doesNotMatch(log, /FAILED\].*espace/, tail());
  });

  it('drops the hub, the console and ssh from the uplink, while the LAN side answers', async () => {
    assert.ok(shell, 'the VM did not boot');
    // NetworkManager brings the wired uplink up with qemu's DHCP (the profile's espace-uplink-wired).
    const addr = await shell.run(
      'for i in $(seq 90); do nmcli -g IP4.ADDRESS device show eth1 | grep -q 10.0.2.15 && break; sleep 2; done; nmcli -g IP4.ADDRESS,GENERAL.CONNECTION device show eth1',
      240_000
    );
    assert.match(addr.out, /^10\.0\.2\.15\/24$/m, addr.out);
    assert.match(addr.out, /espace-uplink-wired/, addr.out);
    const [lanHealth, lanAdmin, lanSsh, upHttp, upAdmin, upHub, upSsh] = await Promise.all([
      probe(lan.hub, get('/health')),
      probe(lan.http, get('/admin')),
      probe(lan.ssh),
      probe(up.http, get('/health')),
      probe(up.http, get('/admin')),
      probe(up.hub, get('/admin')),
      probe(up.ssh),
    ]);
    assert.match(lanHealth, /^answered: HTTP\/1\.1 200/, 'the hub on 8080 from the LAN');
    assert.match(lanAdmin, /^answered: HTTP\/1\.1 [23]\d\d/, 'the console from the LAN');
    assert.match(lanSsh, /^answered: SSH-2\.0-OpenSSH/, 'ssh from the LAN');
    // Dropped, not refused: the connection hangs with no answer (qemu's forwarder keeps the host's end open).
    assert.equal(upHttp, 'no answer', 'port 80 from the uplink');
    assert.equal(upAdmin, 'no answer', '/admin on port 80 from the uplink');
    assert.equal(upHub, 'no answer', '/admin on the hub port 8080 from the uplink');
    assert.equal(upSsh, 'no answer', 'ssh from the uplink');
    // The control: without our table the same knocks from the uplink are answered, so the silence
    // above is the firewall's doing; then the rendered rules go back.
    await shell.run('nft delete table inet espace');
    try {
      assert.deepEqual(await Promise.all([probe(up.hub, get('/admin')), probe(up.ssh)]), [
        'answered: HTTP/1.1 303 See Other',
        `answered: ${lanSsh.slice('answered: '.length)}`,
      ]);
    } finally {
      const reload = await shell.run('nft -f /etc/espace/nftables.nft && nft list tables');
      assert.match(reload.out, /table inet espace/, reload.out);
    }
  });

  it('lets the hub reach the uplink side and the answers back in (established traffic)', async () => {
    assert.ok(shell, 'the VM did not boot');
    const server = createServer((_req, res) => res.end('hello from the uplink side\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      // 10.0.2.2 is this machine's loopback as seen from the uplink network, the uplink's gateway.
      const route = await shell.run('nmcli -g IP4.ROUTE device show eth1');
      assert.match(route.out, /dst = 0\.0\.0\.0\/0, nh = 10\.0\.2\.2/, route.out);
      const got = await shell.run(`curl -sS --max-time 30 http://10.0.2.2:${port}/`, 60_000);
      assert.equal(got.out.trim(), 'hello from the uplink side', got.out);
    } finally {
      server.close();
    }
  });

  it("starts the kiosk's session at boot: lightdm logs kiosk into labwc, whose autostart starts the kiosk", async () => {
    assert.ok(shell, 'the VM did not boot');
    // The kiosk unit runs `espace kiosk`, which starts "Electron" (the test image's stand-in) in the session.
    const standin = await shell.run('for i in $(seq 120); do [ -s /tmp/espace-kiosk-standin ] && break; sleep 2; done; cat /tmp/espace-kiosk-standin', 300_000);
    const sessions = await shell.run(
      'for s in $(loginctl list-sessions --no-legend | awk \'{print $1}\'); do loginctl show-session "$s" -p Name -p Type -p Service -p Class -p State; echo; done; pgrep -u kiosk -a labwc; systemctl --user -M kiosk@ is-active espace-kiosk.service'
    );
    const diag = `${standin.out}\n${sessions.out}\n--- console ---\n${tail()}`;
    assert.match(standin.out, /^user=kiosk wayland=wayland-\d+ runtime=\/run\/user\/\d+ args=.*kiosk/m, diag);
    // The session lightdm opened by autologin (the merged configuration of lightdm.conf), a Wayland one.
    const kioskSession = sessions.out
      .split('\n\n')
      .map((block) => Object.fromEntries(block.split('\n').map((line) => line.split('=', 2) as [string, string])))
      .find((props) => props.Name === 'kiosk');
    assert.deepEqual(kioskSession, { Name: 'kiosk', Type: 'wayland', Service: 'lightdm-autologin', Class: 'user', State: 'active' }, diag);
    assert.match(sessions.out, /^\d+ .*labwc/m, diag);
    assert.match(sessions.out, /^active$/m, diag);
  });

  it(
    'shows the kiosk page full screen: Chromium, standing in for Electron, has it loaded, laid out and drawn',
    { timeout: KIOSK_TIMEOUT_MS + 5 * 60_000 },
    async () => {
      assert.ok(shell, 'the VM did not boot');
      const vmShell = shell;
      // The title the page's HTML gives, in French: "Accueil — <the space's name>".
      const fr = JSON.parse(readFileSync(join(projectRoot(), 'hub/portal/locales/fr.json'), 'utf8')) as Record<string, string>;
      const spaceName = String(parseDocument(readFileSync(join(projectRoot(), 'provisioning/profiles/demo.yaml'), 'utf8')).get('spaceName'));
      const title = `${fr['nav.home']} — ${spaceName}`;
      const served = await (await fetch(`http://127.0.0.1:${lan.hub}/kiosk`)).text();
      assert.ok(served.includes(`<title>${title}</title>`), `the hub's /kiosk has no <title>${title}</title>`);
      // How fast the hub serves the page inside the VM, for the report (and to tell a slow hub from a stuck browser).
      const curled = await vmShell.run(`curl -s -o /dev/null -w '%{http_code} %{time_total}' ${KIOSK_URL}`);
      process.stdout.write(`# the hub's /kiosk to curl in the VM: HTTP ${curled.out.replace(' ', ', ')} s\n`);
      const chromiumLog = async () => (await vmShell.run('tail -n 40 /tmp/espace-kiosk-chromium.log; cat /tmp/espace-kiosk-standin')).out;

      // Chromium's own word on what it shows (DevTools' list of pages): the title comes from the
      // page's HTML once the navigation has committed, which the white window of the past never did.
      type Target = { type: string; url: string; title: string };
      const end = Date.now() + KIOSK_TIMEOUT_MS;
      for (;;) {
        // Nothing at all while Chromium's DevTools is not listening yet.
        const list = await vmShell.run('curl -s --max-time 10 http://127.0.0.1:9222/json/list', 30_000);
        const pages = list.out.trim() ? (JSON.parse(list.out) as Target[]) : [];
        if (pages.some((p) => p.type === 'page' && p.url === KIOSK_URL && p.title === title)) break;
        if (Date.now() > end)
          assert.fail(
            `Chromium did not show ${KIOSK_URL} titled "${title}" within ${KIOSK_TIMEOUT_MS / 1000} s of this check (after the session check); its pages: ${JSON.stringify(pages.map((p) => ({ url: p.url, title: p.title })))}\n--- Chromium's log (the VM's /tmp/espace-kiosk-chromium.log) ---\n${await chromiumLog()}`
          );
        await sleep(5000);
      }
      const since = (
        await vmShell.run('echo $(( $(date +%s) - $(sed -n "s/^chromium starts at //p" /tmp/espace-kiosk-chromium.log | tail -n 1) ))')
      ).out.trim();
      process.stdout.write(
        `# the kiosk page's title in Chromium: ${since} s after Chromium started (once /health answered in the VM), ${((Date.now() - bootStarted) / 1000).toFixed(1)} s after qemu started\n`
      );

      // Inside the page: loaded, in French, its stylesheet applied and its tiles laid out, once its
      // fonts are ready. The VM's Node asks (tests/support/devtools-page.ts, in the image's dist/).
      const wsFlag = process.versions.node.startsWith('20.') ? '--experimental-websocket ' : '';
      let state: Record<string, unknown> = {};
      for (;;) {
        const asked = await vmShell.run(`node ${wsFlag}/opt/espace/dist/tests/support/devtools-page.js ${KIOSK_URL}`, 120_000);
        if (asked.code === 0) state = JSON.parse(asked.out) as Record<string, unknown>;
        if (state.readyState === 'complete') break;
        if (Date.now() > end)
          assert.fail(`the kiosk page never finished loading: ${asked.out} ${JSON.stringify(state)}\n--- Chromium's log ---\n${await chromiumLog()}`);
        await sleep(5000);
      }
      assert.equal(state.title, title);
      assert.equal(state.lang, 'fr');
      assert.equal(state.h1, fr['home.welcome']!.replace('{space}', spaceName));
      assert.ok(Number(state.tilesShown) >= 6, `the section tiles were not laid out: ${JSON.stringify(state)}`);
      assert.ok(Number(state.stylesheets) >= 1, `no stylesheet: ${JSON.stringify(state)}`);

      // What the screen shows (qemu's screendump of the VM's display): kept under var/test-image/ for
      // the report, and not one colour: the white window of the past was 99.99 % white, in 43 colours (the cursor).
      mkdirSync(SCREEN_DIR, { recursive: true });
      const ppmPath = join(SCREEN_DIR, 'kiosk-screen.ppm');
      await monitorCommand(monitor, `screendump ${ppmPath}`);
      await monitorCommand(monitor, `screendump ${join(SCREEN_DIR, 'kiosk-screen.png')} -f png`);
      const screen = screenColours(readFileSync(ppmPath));
      process.stdout.write(
        `# the kiosk's screen (var/test-image/kiosk-screen.png): ${screen.width}x${screen.height}, ${screen.distinct} colours, the commonest on ${(screen.dominantShare * 100).toFixed(1)} % of it\n`
      );
      assert.equal(state.viewport, `${screen.width}x${screen.height}`, 'the kiosk page does not fill the screen');
      assert.ok(
        screen.distinct >= 16 && screen.dominantShare < 0.99,
        `the screen is blank: ${JSON.stringify(screen)}\n--- Chromium's log ---\n${await chromiumLog()}`
      );
    }
  );
});
