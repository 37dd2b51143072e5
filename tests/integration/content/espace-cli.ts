import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../../hub/config/index.js';
import { espaceBin } from '../../support/espace-bin.js';

export const root = projectRoot();
// Compiled (make test) runs the bundle production runs; from source, the TypeScript one.
const compiled = fileURLToPath(import.meta.url).includes(`${root}/dist/`);

/** Node arguments that run the `espace` command line. */
export const cliArgs = compiled ? [espaceBin(root)] : ['--import', 'tsx', join(root, 'provisioning/cli.ts')];
