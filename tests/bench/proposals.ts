import { publishedProposalId, supportId } from '../../content/index.js';
import { createLogger } from '../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../hub/storage/index.js';
import { spawnHub, tempDir } from '../support/hub.js';
import { PI_LIMITS } from './hub-core.js';
import { round, sequential } from './load.js';
import type { Report } from './report.js';

const HUB = 'bench-hub';
const ALPHABET = 'ACDEFHJKMNPRTUVWXY34679';
const THEMES = ['eau-assainissement', 'sante', 'education', 'economie-emploi', 'agriculture'] as const;
const COMMUNES = ['kayes', 'nioro', 'diema', 'kita', 'yelimane'];
/** Any cookie the page cache does not share makes the hub render the page, as for a signed-in member. */
const RENDER = { cookie: 'bench=1' };

const code = (i: number) => {
  const c = (n: number) => ALPHABET[Math.floor(n) % ALPHABET.length]!;
  return `${c(i)}${c(i / 23)}${c(i / 529)}-${c(i / 12167)}${c(i / 279841)}${c(i * 7)}`;
};
const at = (i: number) => new Date(Date.UTC(2026, 8, 1) + i * 600_000).toISOString();
const sourceOf = (i: number) => `${i < 1000 ? HUB : `autre-${String(i % 20).padStart(2, '0')}`}:proposal:${String(i).padStart(12, '0')}aaaaaaaaaa`;

/**
 * A hub holding `proposals` proposals (a fifth made here, the rest published by central from 20
 * other spaces) and `supports` supports given here (each member once per proposal), the
 * communes' thresholds, and a plan of 50 actions linked to 250 of the proposals.
 */
async function prepare(dir: string, o: { proposals: number; supports: number }): Promise<{ probe: string; probeCount: number }> {
  const dbs = await openDatabases(dir, createLogger('silent'));
  const content: Record<string, unknown>[] = COMMUNES.map((c) => ({
    _id: `commune:${c}`,
    type: 'commune',
    audience: { all: true },
    name: `Commune de ${c}`,
    kind: 'commune-urbaine',
    region: 'kayes',
    proposalThreshold: 30,
  }));
  const submissions: Record<string, unknown>[] = [];
  for (let i = 0; i < o.proposals; i += 1) {
    const source = sourceOf(i);
    const base = {
      title: `Proposition ${i} : un forage au quartier ${i % 40}`,
      text: 'Les femmes marchent loin pour chercher l’eau.',
      lang: 'fr',
      commune: COMMUNES[i % COMMUNES.length],
      theme: THEMES[i % THEMES.length],
      beneficiaries: i % 2 ? ['femmes'] : ['jeunes'],
      cost: 100_000 + i,
      createdAt: at(i),
    };
    if (i < 1000)
      submissions.push({
        _id: source,
        type: 'proposal',
        hubId: HUB,
        ...base,
        author: { hub: HUB, code: code(i), name: `Membre ${i}` },
        sex: 'F',
        ageBand: '25-35',
      });
    else {
      const hub = source.split(':')[0]!;
      content.push({
        _id: publishedProposalId(source),
        type: 'proposal',
        audience: { all: true },
        source,
        ...base,
        author: { hub, code: code(i), name: `Membre ${i}` },
        status: 'ouverte',
        threshold: 30,
        supports: { members: 7, paper: 0, byHub: { [hub]: 7 }, paperByHub: {} },
      });
    }
  }
  for (let n = 0; n < o.supports; n += 1) {
    const proposal = sourceOf(n % o.proposals);
    const member = code(Math.floor(n / o.proposals) + 10_000);
    submissions.push({
      _id: supportId(HUB, proposal, member),
      type: 'support',
      hubId: HUB,
      createdAt: at(n),
      proposal,
      member,
      sex: n % 3 ? 'F' : 'M',
      ageBand: '15-24',
    });
  }
  content.push({
    _id: 'plan:pap-bench-2027',
    type: 'plan',
    audience: { all: true },
    title: { fr: 'Plan d’actions prioritaires genre et jeunesse (banc d’essai)' },
    scope: 'intercommunal',
    communes: COMMUNES,
    period: { start: '2027-01-01', end: '2028-12-31' },
    priorities: Array.from({ length: 5 }, (_, p) => ({
      id: `priorite-${p}`,
      title: { fr: `Priorité ${p}` },
      actions: Array.from({ length: 10 }, (_, a) => ({
        id: `action-${p}-${a}`,
        title: { fr: `Action ${p}.${a}` },
        responsible: 'Mairie',
        budget: 1_000_000,
        period: { start: '2027-01-01', end: '2027-12-31' },
        indicator: { label: { fr: 'Personnes servies' }, total: 100, bySex: { F: 60, M: 40 } },
        proposals: Array.from({ length: 5 }, (_, k) => sourceOf((p * 50 + a * 5 + k) * 7)),
        progress: [{ at: '2027-03-31', status: 'en-cours', done: 20 + a, spent: 100_000, achieved: { total: 20, F: 12, M: 8 } }],
      })),
    })),
  });
  for (let i = 0; i < content.length; i += 1000) await dbs.content.bulkDocs(content.slice(i, i + 1000));
  for (let i = 0; i < submissions.length; i += 2000) await dbs.submissions.bulkDocs(submissions.slice(i, i + 2000));
  await closeDatabases(dbs);
  // A proposal published by central: 7 supports at another space, plus those given here.
  const k = 1234;
  return { probe: sourceOf(k), probeCount: 7 + (k < o.supports ? Math.floor((o.supports - 1 - k) / o.proposals) + 1 : 0) };
}

/**
 * The proposals section (issue 15), on the hub pinned to one core with the Pi's heap: the
 * proposals page, a proposal and a plan page at 5 000 proposals and 100 000 supports, rendered
 * for each request (as for a signed-in member: the page cache is bypassed), p95 as a ratio of the
 * home page's measured in the same run; and how long after a restart the counts are right.
 */
export async function benchProposals(report: Report, o: { proposals: number; supports: number; requests: number }): Promise<void> {
  const dir = tempDir('espace-bench-proposals-');
  try {
    const t0 = performance.now();
    const { probe, probeCount } = await prepare(dir.path, o);
    report.add({
      section: 'proposals',
      metric: `data: ${o.proposals} proposals, ${o.supports} supports written`,
      value: round((performance.now() - t0) / 1000, 1),
      unit: 's',
    });
    const spawn = () => spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_HUB_ID: HUB, ESPACE_COMMUNE: 'kayes' }, { pin: PI_LIMITS });
    // Support counting after a restart: from the process's start until a proposal's page shows its full count.
    const expected = new RegExp(`${probeCount} soutiens sur 30`);
    const untilCounted = async (how: string, budget?: number): Promise<Awaited<ReturnType<typeof spawn>>> => {
      const started = performance.now();
      const hub = await spawn();
      const listening = performance.now() - started;
      for (let tries = 0; ; tries += 1) {
        const page = await (await fetch(`${hub.url}/propositions/${encodeURIComponent(probe)}`, { headers: RENDER })).text();
        if (expected.test(page)) break;
        if (tries > 600) throw new Error(`the proposal never showed "${probeCount} soutiens sur 30" after the restart`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Against the start itself, measured in the same run: the machine's load moves both alike.
      const after = performance.now() - started - listening;
      report.add({
        section: 'proposals',
        metric: `start at ${o.supports} supports, ${how}: counts right after listening (listening took the baseline)`,
        value: round(after),
        unit: 'ms',
        baseline: round(listening),
        ratio: round(after / listening, 2),
        ...(budget ? { budget: `≤ ${budget}× the time to listen`, ok: after <= budget * listening } : {}),
      });
      return hub;
    };
    // The first start counts from the supports' ids (no snapshot yet); a stop writes the snapshot.
    await (await untilCounted('counted from the ids')).stop();
    const hub = await untilCounted('from the snapshot written at the last stop', 1.5);
    try {
      const home = await sequential(`${hub.url}/`, o.requests, RENDER);
      report.add({ section: 'proposals', metric: 'baseline: home page, rendered: p50 / p95', value: `${home.p50} / ${home.p95}`, unit: 'ms' });
      for (const [name, path] of [
        ['proposals page', '/propositions'],
        ['proposals page of one commune', '/propositions?commune=nioro'],
        ['a proposal', `/propositions/${encodeURIComponent(probe)}`],
        ['a plan page (50 actions)', '/plans/pap-bench-2027'],
      ] as const) {
        const r = await sequential(`${hub.url}${path}`, o.requests, RENDER);
        const bytes = (await (await fetch(`${hub.url}${path}`, { headers: RENDER })).arrayBuffer()).byteLength;
        report.add({
          section: 'proposals',
          metric: `${name} at ${o.proposals} proposals, rendered (${round(bytes / 1000, 1)} KB): p50 / p95`,
          value: `${r.p50} / ${r.p95}`,
          unit: 'ms',
          baseline: home.p95,
          ratio: round(r.p95 / Math.max(home.p95, 0.01), 1),
          budget: 'p95 ≤ 5× the home page',
          ok: r.p95 <= 5 * home.p95,
        });
      }
    } finally {
      await hub.stop();
    }
  } finally {
    dir.remove();
  }
}
