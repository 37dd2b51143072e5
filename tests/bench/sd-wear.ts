import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { startTestCentral } from '../support/central.js';
import { spawnHub, tempDir, type HubProcess } from '../support/hub.js';
import { hubCentralDb } from '../../content/index.js';
import { centralIds, publishAnnouncements } from '../support/sync-fixtures.js';
import { round } from './load.js';
import { phones } from './phones.js';
import type { Report } from './report.js';

const exec = promisify(execFile);
const REGISTRATION = JSON.stringify({ fullName: 'Fatoumata Traoré', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true });
/** The options the profile gives the hub's data partition on the card (provisioning/render/templates/storage.ts). */
const MOUNT_OPTIONS = 'noatime,commit=60';

/** Bytes the file system's block device has been asked to write (sectors written × 512), after syncfs. */
async function written(mount: string, device: string): Promise<number> {
  // syncfs: what the hub wrote but the kernel still holds would reach the card later anyway.
  await exec('sync', ['-f', mount]);
  const fields = readFileSync(`/sys/block/${device}/stat`, 'utf8').trim().split(/\s+/);
  return Number(fields[6]) * 512;
}

/**
 * Issue 19: the SD card's wear — bytes written to the hub's data partition per hour by an idle
 * hub (the baseline) and by a busy one (phones reading pages, one view in five a registration,
 * sync with central every few seconds pushing them and pulling content). The data directory is on
 * a loop-mounted ext4 with the card's mount options; the loop device's own counter (journal
 * included) is read around each phase and extrapolated to an hour.
 */
export async function benchSdWear(report: Report, opts: { idleSeconds: number; busySeconds: number; phones: number }): Promise<void> {
  const section = 'sd-wear';
  if (process.getuid?.() !== 0) {
    report.add({ section, metric: 'bytes written per hour', value: 'not run: needs root to loop-mount an ext4 image' });
    return;
  }
  const dir = tempDir('espace-sd-wear-');
  const mount = join(dir.path, 'data');
  const image = join(dir.path, 'card.ext4');
  let mounted = false;
  const central = await startTestCentral();
  let hub: HubProcess | undefined;
  try {
    await exec('truncate', ['-s', '1G', image]);
    await exec('mkfs.ext4', ['-q', '-F', '-L', 'espace-data', image]);
    await exec('mkdir', ['-p', mount]);
    await exec('mount', ['-o', `loop,${MOUNT_OPTIONS}`, image, mount]);
    mounted = true;
    const device = basename((await exec('findmnt', ['-n', '-o', 'SOURCE', mount])).stdout.trim());

    const hubId = 'wear-01';
    const enrollment = await central.enroll(hubId);
    await publishAnnouncements(central, 'wear', 200, { all: true });
    // Sync in every window, every 6 s when busy; off when idle (a real idle hub syncs every 30 minutes).
    const config = join(dir.path, 'espace.yaml');
    writeFileSync(
      config,
      stringify({
        hubId,
        central: { url: central.url, username: enrollment.username, password: enrollment.password },
        sync: { intervalMinutes: 0.1, windows: [{ from: '00:00', to: '23:59' }] },
      })
    );
    const env = { ESPACE_CONFIG: config, ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '100000000' };
    const dataDir = join(mount, 'espace');

    // A first start creates the databases and the search index; the phases measure a hub already set up.
    await (await spawnHub(dataDir, env)).stop();

    hub = await spawnHub(dataDir, env);
    await sleep(2000);
    let before = await written(mount, device);
    await sleep(opts.idleSeconds * 1000);
    const idle = (await written(mount, device)) - before;
    await hub.stop();
    const idlePerHour = round(((idle / opts.idleSeconds) * 3600) / 1e6, 2);
    report.add({ section, metric: `idle hub, no sync (${opts.idleSeconds} s measured)`, value: idlePerHour, unit: 'MB/h' });

    hub = await spawnHub(dataDir, { ...env, ESPACE_SYNC_ENABLED: 'true' });
    await sleep(2000);
    const submissionsBefore = await fetch(`${hub.url}/health`).then((r) => r.json() as Promise<{ databases: Record<string, { docs?: number }> }>);
    before = await written(mount, device);
    const crowd = await phones(hub.url, {
      phones: opts.phones,
      seconds: opts.busySeconds,
      meanPauseMs: 4000,
      pages: ['/', '/apprendre', '/sinformer', '/elus', '/participer', '/recherche?q=budget'],
      submitEvery: 5,
      submission: { path: '/api/v1/submissions/registration', body: REGISTRATION },
    });
    const busy = (await written(mount, device)) - before;
    const health = await fetch(`${hub.url}/health`).then((r) => r.json() as Promise<{ databases: Record<string, { docs?: number }> }>);
    const stored = (health.databases.submissions?.docs ?? 0) - (submissionsBefore.databases.submissions?.docs ?? 0);
    // What sync carried in the phase: the registrations central holds from this hub.
    const atCentral = (await centralIds(central, hubCentralDb(hubId), `${hubId}:`)).length;
    const busyPerHour = round(((busy / opts.busySeconds) * 3600) / 1e6, 2);
    report.add({
      section,
      metric: `busy hub: ${opts.phones} phones (${crowd.pageViews} views, ${stored} registrations stored, ${atCentral} docs pushed to central), sync every 6 s (${opts.busySeconds} s measured)`,
      value: busyPerHour,
      unit: 'MB/h',
      baseline: `idle ${idlePerHour} MB/h`,
      ...(idlePerHour > 0 ? { ratio: round(busyPerHour / idlePerHour, 1) } : {}),
    });
    report.add({
      section,
      metric: 'busy hub: bytes written per registration stored (pages, sync and journal included)',
      value: stored > 0 ? round(busy / stored / 1024, 1) : 'no registration stored',
      unit: stored > 0 ? 'KiB' : undefined,
    });
    report.add({ section, metric: 'a day: 10 busy hours + 14 idle hours', value: round((10 * busyPerHour + 14 * idlePerHour) / 1000, 2), unit: 'GB/day' });
    if (crowd.errors > 0 || Object.keys(crowd.statuses).length > 0)
      report.add({ section, metric: 'busy hub: errors / statuses ≥ 400', value: `${crowd.errors} / ${JSON.stringify(crowd.statuses)}` });
  } finally {
    await hub?.stop();
    await central.stop();
    if (mounted) await exec('umount', [mount]).catch(() => exec('umount', ['--lazy', mount]));
    dir.remove();
  }
}
