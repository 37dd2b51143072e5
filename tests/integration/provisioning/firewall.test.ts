import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../../../hub/config/index.js';
import { parseProfile } from '../../../provisioning/profile/index.js';
import { planTree, renderProfile, writeTree } from '../../../provisioning/render/index.js';
import { tempDir } from '../../support/hub.js';

const exec = promisify(execFile);
const DEMO = join(projectRoot(), 'provisioning/profiles/demo.yaml');

/**
 * The rendered firewall loaded in a hub of network namespaces: the hub's eth0 faces a phone on
 * the space's network, its wwan0 faces "the Internet" (another namespace, TEST-NET addresses).
 */
describe('the firewall, loaded between a phone and the uplink', () => {
  const id = `${process.pid}`;
  const ns = { hub: `esp-hub-${id}`, phone: `esp-ph-${id}`, up: `esp-up-${id}` };
  let dir: { path: string; remove(): void };
  const servers: ChildProcess[] = [];
  const inNs = (n: string, ...cmd: string[]) => exec('ip', ['netns', 'exec', n, ...cmd]);
  /** Listeners answering "hi" on every port given, inside a namespace. */
  function listen(n: string, host: string, ports: number[]): Promise<void> {
    const script = `const net=require('net');let n=${ports.length};for(const p of ${JSON.stringify(ports)})net.createServer(s=>s.end('hi')).listen(p,${JSON.stringify(host)},()=>{if(--n===0)console.log('ready')});`;
    const child = spawn('ip', ['netns', 'exec', n, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    servers.push(child);
    return new Promise((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (c) => reject(new Error(`listener in ${n} exited ${c}`)));
    });
  }
  /** "hi" when a TCP connection got the answer, "timeout" when dropped, "refused" when rejected. */
  async function connect(from: string, host: string, port: number): Promise<string> {
    const script = `const s=require('net').connect(${port},${JSON.stringify(host)});s.setTimeout(1500,()=>{console.log('timeout');process.exit(0)});s.on('data',d=>{console.log(String(d));process.exit(0)});s.on('error',e=>{console.log(e.code==='ECONNREFUSED'?'refused':e.code);process.exit(0)});`;
    const { stdout } = await inNs(from, process.execPath, '-e', script);
    return stdout.trim();
  }

  before(async () => {
    dir = tempDir('espace-firewall-');
    const profile = parseProfile(parseYaml(readFileSync(DEMO, 'utf8')));
    await writeTree(dir.path, await planTree(dir.path, renderProfile(profile, '0.1.0').files));
    for (const n of Object.values(ns)) await exec('ip', ['netns', 'add', n]);
    const sh = (script: string) => exec('sh', ['-c', script]);
    await sh(
      [
        `ip link add lan${id} type veth peer name ph${id}`,
        `ip link set lan${id} netns ${ns.hub}`,
        `ip link set ph${id} netns ${ns.phone}`,
        `ip link add wan${id} type veth peer name up${id}`,
        `ip link set wan${id} netns ${ns.hub}`,
        `ip link set up${id} netns ${ns.up}`,
        `ip -n ${ns.hub} link set lan${id} name eth0`,
        `ip -n ${ns.hub} link set wan${id} name wwan0`,
        `ip -n ${ns.hub} addr add 10.42.0.1/24 dev eth0`,
        `ip -n ${ns.hub} addr add 192.0.2.2/24 dev wwan0`,
        `ip -n ${ns.phone} addr add 10.42.0.50/24 dev ph${id}`,
        `ip -n ${ns.up} addr add 192.0.2.1/24 dev up${id}`,
        ...Object.values(ns).map((n) => `ip -n ${n} link set lo up`),
        `ip -n ${ns.hub} link set eth0 up`,
        `ip -n ${ns.hub} link set wwan0 up`,
        `ip -n ${ns.phone} link set ph${id} up`,
        `ip -n ${ns.up} link set up${id} up`,
        // "The Internet" tries to reach the space's network through the hub too.
        `ip -n ${ns.up} route add 10.42.0.0/24 via 192.0.2.2`,
        `ip -n ${ns.phone} route add default via 10.42.0.1`,
      ].join(' && ')
    );
    await inNs(ns.hub, 'nft', '-f', join(dir.path, 'etc/espace/nftables.nft'));
    await listen(ns.hub, '0.0.0.0', [80, 8080, 22]);
    await listen(ns.up, '192.0.2.1', [9000]);
  });

  after(async () => {
    for (const s of servers) s.kill('SIGKILL');
    for (const n of Object.values(ns)) await exec('ip', ['netns', 'del', n]).catch(() => {});
    dir?.remove();
  });

  it('lets a phone reach the front (port 80, any address asked), the hub, its console and ssh', async () => {
    assert.equal(await connect(ns.phone, '10.42.0.1', 8080), 'hi');
    assert.equal(await connect(ns.phone, '10.42.0.1', 80), 'hi', 'the nginx front on port 80');
    assert.equal(await connect(ns.phone, '198.51.100.7', 80), 'hi', 'the captive redirect of port 80 to the front');
    assert.equal(await connect(ns.phone, '10.42.0.1', 22), 'hi');
    // Anything else is refused at once (ICMP admin-prohibited), so a phone does not hang.
    assert.equal(await connect(ns.phone, '10.42.0.1', 5432), 'EHOSTUNREACH');
  });

  it('drops everything the uplink side starts: the hub, the console, ssh, the LAN behind', async () => {
    assert.equal(await connect(ns.up, '192.0.2.2', 8080), 'timeout');
    assert.equal(await connect(ns.up, '192.0.2.2', 80), 'timeout', 'the front');
    assert.equal(await connect(ns.up, '192.0.2.2', 22), 'timeout');
    assert.equal(await connect(ns.up, '10.42.0.1', 8080), 'timeout');
  });

  it("lets the hub's own connections out and their answers back in", async () => {
    assert.equal(await connect(ns.hub, '192.0.2.1', 9000), 'hi');
    // Nothing from the phones is forwarded to the uplink.
    assert.notEqual(await connect(ns.phone, '192.0.2.1', 9000), 'hi');
  });
});
