import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import { TlsStore } from '../../hub/index.js';
import { loadHubConfig } from './hub-config.js';

interface StoreOptions {
  config?: string;
  dataDir?: string;
}

function store(opts: StoreOptions): TlsStore {
  const config = loadHubConfig(opts);
  if (!config.tls.domain)
    throw new AppError(
      2,
      'tls-off',
      'this hub has no HTTPS name: set tls.domain in its configuration (hub.tlsDomain in the space profile), then run this again'
    );
  return new TlsStore(config.dataDir, `${config.hubId}.${config.tls.domain}`);
}

/**
 * `espace tls`: the hub's HTTPS certificate by hand — its state, its CSR (for a programme
 * that orders elsewhere), and installing a chain carried by USB. A running hub picks up an
 * installed chain within a minute.
 */
export function registerTls(program: Command): void {
  const tls = program
    .command('tls')
    .description("the hub's HTTPS certificate: state, certificate request, installing a chain from USB")
    .option('-c, --config <file>', 'hub configuration; default ESPACE_CONFIG, ./espace.yaml, or /etc/espace/espace.yaml on a provisioned Pi')
    .option('--data-dir <dir>', "the hub's data directory, instead of the one in the configuration");
  const common = () => tls.opts<StoreOptions>();

  tls
    .command('status')
    .description('what phones get: HTTPS with a valid certificate, or plain HTTP and why')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const state = store(common()).state();
      if (opts.json) return void process.stdout.write(JSON.stringify(state, null, 2) + '\n');
      if (state.state === 'valid') process.stdout.write(`HTTPS for ${state.name}: valid until ${state.certificate.notAfter} (renewal from ${state.renewAt})\n`);
      else if (state.state === 'lapsed') process.stdout.write(`plain HTTP only for ${state.name}: ${state.why}\n`);
      else process.stdout.write(`plain HTTP only for ${state.name}: no certificate yet; the request goes to central with the next sync or USB bundle\n`);
    });

  tls
    .command('csr')
    .description("print the hub's certificate request (PEM); its key never leaves the hub")
    .action(async () => {
      process.stdout.write(await store(common()).csr());
    });

  tls
    .command('install <file>')
    .description("install a certificate chain (PEM, leaf first) made for this hub's request; a wrong one is refused and the installed one kept")
    .action(async (file: string) => {
      let pem: string;
      try {
        pem = await readFile(file, 'utf8');
      } catch (e) {
        throw new AppError(
          2,
          'tls-file-unreadable',
          `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of the chain file central exported`
        );
      }
      const facts = store(common()).install(pem);
      process.stdout.write(`installed: ${facts.name}, valid until ${facts.notAfter}; a running hub serves it within a minute\n`);
    });
}
