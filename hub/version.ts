import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './config/boot.js';

let cached: string | undefined;

/** The product version, from package.json. */
export function hubVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
