import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../../hub/config/index.js';

export const root = projectRoot();
// Compiled (make test) runs the compiled CLI; from source, the TypeScript one.
const compiled = fileURLToPath(import.meta.url).includes(`${root}/dist/`);

/** Node arguments that run the `espace` command line. */
export const cliArgs = compiled ? [join(root, 'dist/provisioning/cli.js')] : ['--import', 'tsx', join(root, 'provisioning/cli.ts')];
