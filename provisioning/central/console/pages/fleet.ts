import { AppError } from '../../../../content/index.js';
import { html, when } from '../../../../hub/index.js';
import { assessFleet, type HubStanding, type Mark } from '../../../fleet/index.js';
import { BASE } from '../layout.js';
import type { ConsolePage } from '../page-table.js';

const PATH = `${BASE}/flotte`;

/** What each mark asks of the programme team, in French. */
const MARK_FR: Record<Mark, string> = {
  stale: 'silencieux depuis plus de 48 h (éteint, ou ne synchronise plus)',
  hot: 'trop chaud',
  full: 'disque presque plein',
  'never-synced': 'jamais synchronisé',
  'no-https': 'HTTPS expiré ou à renouveler : les téléphones sont en HTTP simple',
  invalid: 'état illisible',
};

/** "il y a 3 h", "il y a 2 jours", "jamais". */
function ago(iso: string | null, now: Date): string {
  if (!iso) return 'jamais';
  const h = (now.getTime() - Date.parse(iso)) / 3600_000;
  if (h < 1) return `il y a ${Math.max(0, Math.round(h * 60))} min`;
  return h < 48 ? `il y a ${h.toFixed(0)} h` : `il y a ${(h / 24).toFixed(0)} jours`;
}

const gb = (b: number | null) => (b === null ? '?' : `${(b / 1024 ** 3).toFixed(1)} Go`);

function row(h: HubStanding, now: Date) {
  const https = h.https
    ? `${h.https.state === 'valid' ? 'valide' : h.https.state === 'waiting' ? 'en attente' : 'expiré'}${h.https.notAfter ? ` jusqu’au ${when(h.https.notAfter)}` : ''}`
    : '—';
  return html`<tr class="${h.marks.length ? 'alert' : ''}">
<th scope="row">${h.hubId}</th><td>${h.spaceName}</td><td>${h.version}</td><td>${ago(h.at, now)}</td><td>${ago(h.lastSync, now)}</td>
<td>${gb(h.freeBytes)} / ${gb(h.totalBytes)}</td><td>${h.temperatureC === null ? '?' : `${h.temperatureC} °C`}</td><td>${https}</td>
<td>${h.marks.length ? html`<ul>${h.marks.map((m) => html`<li>${MARK_FR[m]}</li>`)}</ul>` : 'RAS'}</td></tr>`;
}

/**
 * The fleet (issue 13): each hub's last heartbeat as central's `fleet` database holds it
 * (copied from the hubs' own databases by CouchDB's replicator), the hubs needing a visit
 * first. Analysts and admins: CouchDB lets no one else read `fleet`.
 */
export const fleetPage: ConsolePage = {
  nav: { href: PATH, label: 'Flotte', order: 20 },
  routes: [
    {
      method: 'GET',
      path: PATH,
      roles: ['analyst'],
      async handle(c) {
        const res = await c.central<{ rows: { doc?: unknown }[] }>('fleet/_all_docs?include_docs=true');
        if (res.status !== 200)
          throw new AppError(502, 'fleet-unreadable', `Central n’a pas donné la flotte (HTTP ${res.status}) : réessayez, ou voyez l’état de CouchDB.`);
        const now = new Date();
        const hubs = assessFleet(
          res.body.rows.map((r) => r.doc),
          now
        );
        const flagged = hubs.filter((h) => h.marks.length).length;
        const body = hubs.length
          ? html`<p>${hubs.length} hub(s), dont ${flagged} à voir.</p>
<table class="fleet"><thead><tr><th scope="col">Hub</th><th scope="col">Espace</th><th scope="col">Version</th><th scope="col">Dernier signe</th><th scope="col">Dernière synchro</th><th scope="col">Disque libre</th><th scope="col">Température</th><th scope="col">HTTPS</th><th scope="col">À voir</th></tr></thead>
<tbody>${hubs.map((h) => row(h, now))}</tbody></table>`
          : html`<p>Aucun hub n’a encore envoyé de nouvelles.</p>`;
        return { page: c.page('Flotte des hubs', body, { refreshSeconds: 60 }) };
      },
    },
  ],
};
