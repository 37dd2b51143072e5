import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { projectRoot } from '../../hub/config/index.js';
import { freePort, tempDir } from '../support/hub.js';

const exec = promisify(execFile);
const KVM = existsSync('/dev/kvm');
/** Software emulation boots a Debian with desktop packages in a few minutes on a shared machine. */
const BOOT_TIMEOUT_MS = Number(process.env.ESPACE_BOOT_TIMEOUT_S ?? (KVM ? 180 : 600)) * 1000;
const BUILD_TIMEOUT_MS = 20 * 60_000;

/**
 * make test-image: the golden image (the cached Debian Trixie root, Debian's kernel, the app and
 * Node where the pi-gen stage puts them, `espace provision apply --root` with the demo profile)
 * booted under qemu. x86-64 stands in for the Pi's arm64: the same Debian, systemd and units.
 * The phones' network is qemu's user network on eth0 (10.42.0.0/24, the hub at 10.42.0.1), so
 * /health is asked the way a phone asks: tcp/80, through the firewall's redirect to the hub.
 */
describe('the golden image boots under qemu', { timeout: BUILD_TIMEOUT_MS + BOOT_TIMEOUT_MS + 5 * 60_000 }, () => {
  const dir = tempDir('espace-image-');
  const consoleLog = join(dir.path, 'console.log');
  const monitor = join(dir.path, 'monitor.sock');
  let vm: ChildProcess | undefined;
  let exited: Promise<number | null> | undefined;
  let lanPort = 0;

  before(
    async () => {
      const { stderr } = await exec('bash', [join(projectRoot(), 'tests/support/image-disk.sh'), dir.path], { maxBuffer: 64 << 20, timeout: BUILD_TIMEOUT_MS });
      const applied = /provision apply --root: .*/.exec(stderr)?.[0];
      if (applied) process.stdout.write(`# ${applied}\n`);
      lanPort = await freePort();
    },
    { timeout: BUILD_TIMEOUT_MS }
  );

  after(async () => {
    if (vm && vm.exitCode === null && vm.signalCode === null) {
      // An orderly shutdown (the ACPI power button, which systemd-logind turns into poweroff), then the plug.
      const s = connect(monitor, () => s.write('system_powerdown\n'));
      s.on('error', () => {});
      const end = Date.now() + 90_000;
      while (vm.exitCode === null && vm.signalCode === null && Date.now() < end) await sleep(1000);
      s.destroy();
      const off = vm.exitCode !== null || vm.signalCode !== null;
      if (!off) vm.kill('SIGKILL');
      process.stdout.write(`# the VM ${off ? 'powered off' : 'did not power off within 90 s: killed'}\n`);
      await Promise.race([exited, sleep(5000)]);
    }
    dir.remove();
  });

  it("boots, systemd starts espace-hub, and /health answers on the phones' port 80", async () => {
    const started = Date.now();
    vm = spawn(
      'qemu-system-x86_64',
      [
        ...(KVM ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg']),
        '-m',
        '1024',
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
        `user,id=lan,net=10.42.0.0/24,host=10.42.0.2,dhcpstart=10.42.0.100,hostfwd=tcp:127.0.0.1:${lanPort}-10.42.0.1:80`,
        '-device',
        'virtio-net-pci,netdev=lan',
        // No emulated watchdog for the profile's RuntimeWatchdogSec: under TCG on a loaded machine the
        // guest's vCPU can stall past 15 s while the device's timer runs on, and resets a sound boot.
        // -no-reboot: a reset (a panic, panic=-1) ends qemu, and the test says so.
        '-no-reboot',
        '-display',
        'none',
        '-vga',
        'none',
        '-serial',
        `file:${consoleLog}`,
        '-monitor',
        `unix:${monitor},server,nowait`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    );
    let qemuErr = '';
    vm.stderr?.on('data', (b: Buffer) => (qemuErr += b.toString()));
    exited = new Promise((r) => vm?.on('exit', (code) => r(code)));

    const tail = () =>
      existsSync(consoleLog)
        ? readFileSync(consoleLog, 'utf8')
            .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
            .split('\n')
            .slice(-40)
            .join('\n')
        : '(no console output)';
    let health: { status: number; body: Record<string, unknown> } | undefined;
    while (!health) {
      if (vm.exitCode !== null) assert.fail(`qemu exited (${vm.exitCode}) before /health answered: ${qemuErr}\n--- console ---\n${tail()}`);
      if (Date.now() - started > BOOT_TIMEOUT_MS)
        assert.fail(`no answer from /health within ${BOOT_TIMEOUT_MS / 1000} s (${KVM ? 'KVM' : 'TCG'})\n--- console ---\n${tail()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${lanPort}/health`, { signal: AbortSignal.timeout(5000) });
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
    // The hub is the one systemd started from the unit provision rendered, and none of ours failed.
    const log = readFileSync(consoleLog, 'utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    assert.match(log, /Started espace-hub\.service/);
    assert.match(log, /Finished espace-firewall\.service/);
    assert.doesNotMatch(log, /FAILED\].*espace/, tail());
  });
});
