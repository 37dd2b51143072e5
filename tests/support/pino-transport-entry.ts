/**
 * Bundled by tests/integration/provisioning/espace-bin.test.ts with the options of the `espace`
 * bundle (provisioning/bundle.ts), then run: pino's transports from a bundle, the one target
 * given (`pino/file`, thread-stream's worker) and a list of targets (pino's own worker too), each
 * writing a line to the file named on the command line (`<file>.one`, `<file>.many`).
 */
import { pino } from 'pino';
import '../../provisioning/pino-paths.js';

const file = process.argv[2]!;
const one = pino.transport({ target: 'pino/file', options: { destination: `${file}.one` } });
const many = pino.transport({ targets: [{ target: 'pino/file', level: 'info', options: { destination: `${file}.many` } }] });
pino(one).info('one target');
pino(many).info('a list of targets');
one.end();
many.end();
