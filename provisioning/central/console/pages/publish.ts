import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError, isAppError, trustedKeysOf } from '../../../../content/index.js';
import { csrfField, html, projectRoot, type Value } from '../../../../hub/index.js';
import { publishPack, type PublishReport } from '../../publish.js';
import { BASE } from '../layout.js';
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../page-table.js';

const PATH = `${BASE}/publier`;
const TOKEN = /^[A-Za-z0-9_-]{22}$/;
/** A previewed pack waits this long for its "Publier" (then it must be sent again). */
const STAGED_MS = 60 * 60_000;

const stagedDir = (c: ConsoleContext) => join(resolve(c.s.config.dataDir), 'staged');

/** Staged packs older than STAGED_MS are of no use: removed whenever a pack is staged. */
function sweep(dir: string): void {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (Date.now() - statSync(p).mtimeMs > STAGED_MS) rmSync(p, { force: true });
  }
}

const keysOf = (c: ConsoleContext) => trustedKeysOf({ trustedKeys: c.s.config.trustedKeys, trustDemoKey: c.s.config.trustDemoKey }, projectRoot());

/** A pack that cannot be read or is not signed by a trusted key, said in French. */
function packProblem(e: unknown): string | null {
  if (!isAppError(e) || e.status >= 500) return null;
  return `Ce fichier n’est pas un paquet de contenus signé par une clé de confiance (${e.details}). Vérifiez qu’il vient de « espace content build » avec la clé du programme.`;
}

function uploadForm(c: ConsoleContext, error?: string): Value {
  return html`<form method="post" action="${PATH}" enctype="multipart/form-data" class="card">${csrfField(c.session!)}
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<label for="file">Paquet de contenus (.espack, signé)</label><input id="file" name="file" type="file" accept=".espack" required>
<button type="submit">Voir ce qui change</button></form>`;
}

function preview(c: ConsoleContext, r: PublishReport, token: string): Value {
  const shown = r.changed.slice(0, 50);
  return html`<div class="card"><h2>${r.pack} ${r.version}</h2>
<p>${r.docsWritten} document(s) nouveaux ou modifiés, ${r.docsUnchanged} inchangé(s) ; ${r.mediaUploaded} fichier(s) média à envoyer, ${r.mediaPresent} déjà à central.</p>
${r.removed.length ? html`<p>${r.removed.length} document(s) que la version précédente publiait et que celle-ci retire : supprimés à central, puis sur chaque hub.</p><ul class="changes">${r.removed.slice(0, 50).map((id) => html`<li><del><code>${id}</code></del></li>`)}</ul>` : ''}
${shown.length ? html`<ul class="changes">${shown.map((id) => html`<li><code>${id}</code></li>`)}</ul>${r.changed.length > shown.length ? html`<p>… et ${r.changed.length - shown.length} autre(s).</p>` : ''}` : html`<p>Rien ne change : central a déjà ce paquet.</p>`}
<form method="post" action="${PATH}/${token}">${csrfField(c.session!)}<button type="submit" ${r.docsWritten + r.mediaUploaded + r.removed.length === 0 ? html`disabled` : ''}>Publier pour tous les hubs</button></form></div>`;
}

/**
 * Publishing a pack from central's console (issue 13): upload a signed pack, see what it
 * changes at central (a dry run of `espace content publish`), then publish it. Editors; the
 * writes go with their own CouchDB session, so central's validate_doc_update still decides.
 */
export const publishPage: ConsolePage = {
  nav: { href: PATH, label: 'Publier', order: 5 },
  routes: [
    {
      method: 'GET',
      path: PATH,
      roles: ['editor'],
      async handle(c) {
        return { page: c.page('Publier un paquet de contenus', uploadForm(c)) };
      },
    },
    {
      method: 'POST',
      path: PATH,
      roles: ['editor'],
      body: 'multipart',
      async handle(c): Promise<ConsoleResult> {
        const file = c.req.file;
        if (!file) return { page: c.page('Publier un paquet de contenus', uploadForm(c, 'Choisissez le fichier du paquet (.espack).')), status: 422 };
        const dir = stagedDir(c);
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        sweep(dir);
        const token = randomBytes(16).toString('base64url');
        const staged = join(dir, `${token}.espack`);
        copyFileSync(file.path, staged);
        let report: PublishReport;
        try {
          report = await publishPack(staged, c.s.config.centralUrl, c.couchAuth(), keysOf(c), { dryRun: true });
        } catch (e) {
          rmSync(staged, { force: true });
          const problem = packProblem(e);
          if (problem) return { page: c.page('Publier un paquet de contenus', uploadForm(c, problem)), status: 422 };
          throw e;
        }
        return { page: c.page('Publier un paquet de contenus', html`${preview(c, report, token)}${uploadForm(c)}`) };
      },
    },
    {
      method: 'POST',
      path: `${PATH}/:token`,
      roles: ['editor'],
      action: 'pack.publish',
      example: { token: 'AAAAAAAAAAAAAAAAAAAAAA' },
      async handle(c): Promise<ConsoleResult> {
        const token = String(c.req.params.token ?? '');
        const staged = join(stagedDir(c), `${token}.espack`);
        let fresh: boolean;
        try {
          fresh = TOKEN.test(token) && Date.now() - statSync(staged).mtimeMs <= STAGED_MS;
        } catch {
          fresh = false;
        }
        if (!fresh) throw new AppError(410, 'staged-pack-gone', 'Ce paquet n’est plus en attente (plus d’une heure, ou déjà publié) : envoyez-le à nouveau.');
        try {
          const r = await publishPack(staged, c.s.config.centralUrl, c.couchAuth(), keysOf(c));
          return {
            redirect: PATH,
            flash: `Publié : ${r.pack} ${r.version}, ${r.docsWritten} document(s) et ${r.mediaUploaded} fichier(s) média${r.removed.length ? `, ${r.removed.length} retiré(s)` : ''}. Les hubs les reçoivent à leur prochaine synchronisation.`,
            audit: { target: `${r.pack}@${r.version}`, detail: `${r.docsWritten} docs, ${r.mediaUploaded} media` },
          };
        } finally {
          rmSync(staged, { force: true });
        }
      },
    },
  ],
};
