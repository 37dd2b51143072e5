import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { applicationsCsv, callAs, callDoc, grantCalls, juryRecords, publishReports, publishResults, type Credentials } from '../central/index.js';
import { adminCredentials } from './central.js';

/** The editor's own account: ESPACE_CENTRAL_USERNAME/PASSWORD (never argv), else an admin's. */
async function credentials(): Promise<Credentials> {
  const username = process.env.ESPACE_CENTRAL_USERNAME;
  const password = process.env.ESPACE_CENTRAL_PASSWORD;
  return username && password ? { username, password } : adminCredentials();
}

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const fcfa = (n: number) => `${new Intl.NumberFormat('fr-FR').format(n)} FCFA`;

/** `espace central grants …`: calls for local initiatives (results, reports, the CSV of applications). */
export function registerGrants(central: Command): void {
  const grants = central.command('grants').description('calls for local initiatives (micro-grants): the calls, the results, the funded initiatives’ reports');

  grants
    .command('list')
    .description('the calls published at central, with their applications and assessments')
    .requiredOption('--url <url>', "central's URL")
    .action(async (opts: { url: string }) => {
      const call = callAs(opts.url, await credentials());
      const recs = await juryRecords(call);
      for (const c of await grantCalls(call)) {
        const apps = recs.applications.filter((a) => a.call === c._id).length;
        out(
          `${c._id}  ${c.opens} → ${c.deadline}  ${fcfa(c.budget)}  ${apps} candidature(s)${c.results ? `  résultats publiés (${fcfa(c.results.fundedTotal)})` : ''}  ${c.title.fr}`
        );
      }
    });

  grants
    .command('results <callId>')
    .description(
      "publish a call's results after its deadline: ranking by the non-conflicted jurors' weighted scores, funded within the budget (an editor; logged)"
    )
    .requiredOption('--url <url>', "central's URL")
    .action(async (callId: string, opts: { url: string }) => {
      const creds = await credentials();
      const r = await publishResults(callAs(opts.url, creds), callId.startsWith('call:') ? callId : `call:${callId}`, creds.username);
      for (const x of r.ranking)
        out(
          `${x.rank}. ${x.organisation} (${x.commune}) ${String(x.score).replace('.', ',')}/100, ${x.jurors} juré(s) — ${x.funded ? `financée ${fcfa(x.amount)}` : 'non financée'}`
        );
      out(`published: ${fcfa(r.fundedTotal)} granted; every hub shows the results with its next pull.`);
    });

  grants
    .command('reports')
    .description("publish the funded initiatives' reports that reached central into their calls (an editor; logged)")
    .requiredOption('--url <url>', "central's URL")
    .action(async (opts: { url: string }) => {
      const creds = await credentials();
      const n = await publishReports(callAs(opts.url, creds), creds.username);
      out(`${n} report(s) published.`);
    });

  grants
    .command('csv <callId>')
    .description("a call's applications with their scores, as CSV for French Excel")
    .requiredOption('--url <url>', "central's URL")
    .requiredOption('--out <file>', 'where to write the CSV')
    .action(async (callId: string, opts: { url: string; out: string }) => {
      const call = callAs(opts.url, await credentials());
      const id = callId.startsWith('call:') ? callId : `call:${callId}`;
      const text = applicationsCsv(await callDoc(call, id), await juryRecords(call, id));
      await writeFile(opts.out, text);
      out(`written ${opts.out}`);
    });
}
