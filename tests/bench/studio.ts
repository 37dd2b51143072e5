import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { processTake } from '../../hub/studio/index.js';
import { startTestHub, tempDir } from '../support/hub.js';
import { generateDocs } from './generate.js';
import type { Report } from './report.js';

/**
 * The studio (issue 12): a 10-second take through sox + opusenc on one core (size and time),
 * and the studio's queue and coverage figures over 10 000 content docs.
 */
export async function benchStudio(report: Report, opts: { docs: number; takes: number }): Promise<void> {
  const dir = tempDir('espace-bench-studio-');
  try {
    // A 10-second take as a browser sends it: 48 kHz mono 16-bit WAV, half a second of silence each end.
    const wav = join(dir.path, 'take.wav');
    execFileSync('sox', [
      '-n',
      '-r',
      '48000',
      '-c',
      '1',
      '-b',
      '16',
      wav,
      'synth',
      '9',
      'sine',
      '180',
      'sine',
      '360',
      'tremolo',
      '4',
      '70',
      'vol',
      '0.3',
      'pad',
      '0.5',
      '0.5',
    ]);
    const input = readFileSync(wav);
    // sox and opusenc are child processes: pinning this process pins them to one core too.
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < opts.takes; i += 1) {
      const t0 = performance.now();
      const take = await processTake(input);
      times.push(performance.now() - t0);
      size = take.opus.length;
    }
    execFileSync('taskset', ['-p', '-c', '0-1023', String(process.pid)], { stdio: 'ignore' });
    times.sort((a, b) => a - b);
    report.add({ section: 'studio', metric: '10 s take: WAV sent by the browser', value: Math.round(input.length / 1024), unit: 'KB' });
    report.add({ section: 'studio', metric: '10 s take: Opus kept (16 kbit/s)', value: Math.round(size / 102.4) / 10, unit: 'KB' });
    report.add({
      section: 'studio',
      metric: `10 s take: trim + level + encode, one core (median of ${opts.takes})`,
      value: Math.round(times[Math.floor(times.length / 2)]!),
      unit: 'ms',
    });

    const hub = await startTestHub({ seedDemo: true });
    try {
      const docs = generateDocs(opts.docs);
      for (let i = 0; i < docs.length; i += 1000) await hub.deps.dbs.content.bulkDocs(docs.slice(i, i + 1000) as never[]);
      const studio = hub.deps.studio;
      let t0 = performance.now();
      const items = await studio.queue();
      report.add({
        section: 'studio',
        metric: `queue over ${opts.docs} docs + demo: first build (${items.length} items)`,
        value: Math.round(performance.now() - t0),
        unit: 'ms',
      });
      t0 = performance.now();
      await studio.queue();
      report.add({ section: 'studio', metric: 'queue again (same content)', value: Math.round((performance.now() - t0) * 10) / 10, unit: 'ms' });
      t0 = performance.now();
      await studio.coverage();
      report.add({ section: 'studio', metric: `coverage figures over ${opts.docs} docs + demo`, value: Math.round(performance.now() - t0), unit: 'ms' });
      t0 = performance.now();
      const res = await fetch(`${hub.url}/api/v1/coverage`);
      await res.json();
      report.add({ section: 'studio', metric: 'GET /api/v1/coverage (computed)', value: Math.round((performance.now() - t0) * 10) / 10, unit: 'ms' });
    } finally {
      await hub.stop();
    }
  } finally {
    dir.remove();
  }
}
