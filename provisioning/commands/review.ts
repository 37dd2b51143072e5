import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError, exportTranslations } from '../../content/index.js';
import { join } from 'node:path';
import { loadCatalogs, loadConfig, projectRoot } from '../../hub/index.js';
import { accept, contribution, decline, mediaBytes, pendingContributions, publishedTranslations, takeOf, type Credentials } from '../central/index.js';
import { centralCredentials } from './fleet.js';

const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function credentials(): Promise<Credentials> {
  const c = await centralCredentials();
  if (!c)
    throw new AppError(
      2,
      'central-credentials-missing',
      "set ESPACE_CENTRAL_USERNAME and ESPACE_CENTRAL_PASSWORD to an account that reads central's submissions and writes content (an administrator)"
    );
  return c;
}

/**
 * `espace central review …`: the editor's review in Bamako from a terminal (the central console
 * shows the same, with players). list → show (writes the take to a file to hear it) → accept,
 * reject --reason, or retake --reason.
 */
export function registerReview(program: Command): void {
  const central = program.commands.find((c) => c.name() === 'central') ?? program.command('central');
  const review = central
    .command('review')
    .description(
      "review the studio's contributions from the spaces: accept (published to every hub), reject or ask for another take (credentials: ESPACE_CENTRAL_USERNAME/PASSWORD)"
    );

  review
    .command('list')
    .description('the contributions waiting for a decision, oldest first')
    .requiredOption('--central <url>', 'central CouchDB, e.g. https://central.example.ml/')
    .option('--json', 'as JSON')
    .action(async (opts: { central: string; json?: boolean }) => {
      const pending = await pendingContributions(opts.central, await credentials());
      if (opts.json)
        return void out(
          JSON.stringify(
            pending.map(({ _attachments, ...c }) => c),
            null,
            2
          )
        );
      if (!pending.length) return void out('nothing to review');
      for (const c of pending) {
        out(`${c._id}  ${c.lang}  ${c.target} ${c.field}`);
        if (c.french) out(`  fr:    ${c.french.slice(0, 200)}`);
        if (c.text) out(`  ${c.lang.padEnd(5)}: ${c.text.slice(0, 200)}`);
        if (c.hasTake) out(`  take:  ${c.seconds ?? '?'} s (espace central review show ${c._id} --take take.opus)`);
        out(`  by ${c.contributor}${c.credit ? ` (credited as ${c.credit})` : ' (not credited)'} on ${c.hubId}, ${c.createdAt}`);
      }
    });

  review
    .command('show <id>')
    .description('one contribution in full; --take FILE writes its recording to hear it')
    .requiredOption('--central <url>', 'central CouchDB')
    .option('--take <file>', 'write the take (Opus) to this file')
    .action(async (id: string, opts: { central: string; take?: string }) => {
      const auth = await credentials();
      const c = await contribution(opts.central, auth, id);
      const { _attachments, ...shown } = c;
      out(JSON.stringify(shown, null, 2));
      if (opts.take) {
        writeFileSync(opts.take, await takeOf(opts.central, auth, id));
        out(`take written to ${opts.take}`);
      }
    });

  review
    .command('accept <id>')
    .description('publish it: its text and/or take become content and media, pulled by every hub')
    .requiredOption('--central <url>', 'central CouchDB')
    .option('--editor <name>', 'who decided (kept with the decision)', process.env.USER ?? 'editor')
    .action(async (id: string, opts: { central: string; editor: string }) => {
      const fr = loadCatalogs().fr;
      const done = await accept(opts.central, await credentials(), id, opts.editor, { frenchMessage: (key) => fr[key] });
      out(
        `accepted: ${done.translation._id} (${done.translation.target} ${done.translation.field}, ${done.translation.lang})${done.media ? `, take ${done.media._id}` : ''}`
      );
    });

  for (const [name, decision, what] of [
    ['reject', 'rejected', 'refuse it; nothing is published'],
    ['retake', 'retake', 'ask the space for another take; nothing is published'],
  ] as const) {
    review
      .command(`${name} <id>`)
      .description(what)
      .requiredOption('--central <url>', 'central CouchDB')
      .requiredOption('--reason <text>', 'why, in words the contributor understands')
      .option('--editor <name>', 'who decided', process.env.USER ?? 'editor')
      .action(async (id: string, opts: { central: string; reason: string; editor: string }) => {
        await decline(opts.central, await credentials(), id, decision, opts.editor, opts.reason);
        out(`${decision}: ${id}`);
      });
  }
}

/** `espace content coverage`: the hub's text and voice coverage per language, from its API. */
export function registerCoverage(program: Command): void {
  const content = program.commands.find((c) => c.name() === 'content') ?? program.command('content');
  content
    .command('coverage')
    .description("how much of the interface and the content a hub has in each language, as text and as a person's voice")
    .option('--hub <url>', "the hub (default: this machine's, from its configuration)")
    .option('-c, --config <file>', 'the hub configuration file')
    .option('--json', 'as JSON')
    .action(async (opts: { hub?: string; config?: string; json?: boolean }) => {
      const base = opts.hub ?? `http://127.0.0.1:${loadConfig({ file: opts.config }).port}`;
      let res: Response;
      try {
        res = await fetch(new URL('/api/v1/coverage', base));
      } catch (e) {
        throw new AppError(503, 'hub-unreachable', `cannot reach the hub at ${base} (${(e as Error).message}); is it running? (--hub URL to ask another)`);
      }
      if (!res.ok) throw new AppError(502, 'hub-error', `the hub at ${base} answered HTTP ${res.status} to /api/v1/coverage`);
      const body = (await res.json()) as { languages: { lang: string; interface: Figure; content: Figure }[] };
      if (opts.json) return void out(JSON.stringify(body, null, 2));
      out('LANG  INTERFACE TEXT   INTERFACE VOICE  CONTENT TEXT     CONTENT VOICE');
      const cell = (pct: number, n: number, total: number) => `${pct.toFixed(1)} % (${n}/${total})`.padEnd(17);
      for (const l of body.languages) {
        out(
          `${l.lang.padEnd(6)}${cell(l.interface.textPct, l.interface.texts, l.interface.total)}${cell(l.interface.voicePct, l.interface.voices, l.interface.total)}${cell(l.content.textPct, l.content.texts, l.content.total)}${cell(l.content.voicePct, l.content.voices, l.content.total)}`.trimEnd()
        );
      }
      out('voice: recorded by a person (French: the synthetic voice is not counted)');
    });

  content
    .command('export-translations <pack>')
    .description(
      "write central's accepted translations and recordings back into a pack's authoring files and the interface catalogs (credentials: ESPACE_CENTRAL_USERNAME/PASSWORD)"
    )
    .requiredOption('--central <url>', 'central CouchDB')
    .option('--locales <dir>', 'the interface catalogs', join(projectRoot(), 'hub/portal/locales'))
    .option('--voices <dir>', "the interface's recordings", join(projectRoot(), 'hub/portal/static/voice'))
    .action(async (pack: string, opts: { central: string; locales: string; voices: string }) => {
      const auth = await credentials();
      const report = await exportTranslations(await publishedTranslations(opts.central, auth), {
        packDir: pack,
        localesDir: opts.locales,
        voicesDir: opts.voices,
        media: (sha) => mediaBytes(opts.central, auth, sha),
      });
      out(`${report.texts} text(s) and ${report.recordings} recording(s) written into ${report.files.length} file(s)`);
      for (const f of report.files) out(`  ${f}`);
      for (const s of report.skipped) out(`  not exported: ${s.target} ${s.field} (${s.why})`);
    });
}

interface Figure {
  total: number;
  texts: number;
  voices: number;
  textPct: number;
  voicePct: number;
}
