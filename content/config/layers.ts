import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { parse } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { describeIssues } from '../schema/boot.js';

/** YAML's parser, loaded when there is a file to read (~70 ms of a start on a Pi's core otherwise). */
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as { parse: typeof parse }).parse(text);

/** Where an `ESPACE_*` environment variable goes in the configuration, and how it is read. */
export type EnvEntry = { path: readonly string[]; kind: 'string' | 'number' | 'boolean' | 'json' };
export type EnvMap = Record<string, EnvEntry>;

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const current = out[k];
    out[k] = isPlain(v) && isPlain(current) ? deepMerge(current, v) : v;
  }
  return out;
}

function coerce(name: string, raw: string, kind: EnvEntry['kind']): unknown {
  if (kind === 'string') return raw;
  if (kind === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw new AppError(2, 'config-invalid', `${name}="${raw}" is not a number; set it to digits, for example ${name}=8080`);
    return n;
  }
  if (kind === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new AppError(2, 'config-invalid', `${name}="${raw}" is not true or false; set it to true or false`);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError(2, 'config-invalid', `${name} is not valid JSON; for example ${name}='[{"id":"prod","publicKey":"…"}]'`);
  }
}

function envLayer(env: NodeJS.ProcessEnv, map: EnvMap): Plain {
  let layer: Plain = {};
  for (const [name, { path, kind }] of Object.entries(map)) {
    const raw = env[name];
    if (raw === undefined) continue;
    let node: Plain = { [path[path.length - 1] ?? name]: coerce(name, raw, kind) };
    for (let i = path.length - 2; i >= 0; i -= 1) node = { [path[i] ?? name]: node };
    layer = deepMerge(layer, node);
  }
  return layer;
}

export interface LoadOptions {
  /** A config file (YAML or JSON); when absent, ESPACE_CONFIG or ./espace.yaml if present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values that win over everything (tests, CLI flags). */
  overrides?: Record<string, unknown>;
}

/** The YAML file of a configuration as key: value pairs (empty when there is no file). */
function fileLayer(file: string | undefined): Plain {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AppError(2, 'config-missing', `cannot read the config file ${resolve(file)}; check the path (ESPACE_CONFIG) or create it`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    throw new AppError(2, 'config-invalid', `the config file ${file} is not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlain(parsed)) throw new AppError(2, 'config-invalid', `the config file ${file} must hold key: value pairs, like "hubId: kayes-01"`);
  return parsed;
}

/**
 * Reads one configuration: defaults → file → environment → overrides, then validates it with
 * `schema`. A wrong value stops with a message naming the field and the fix. The hub and the
 * kiosk each read the same file this way, each with its own schema.
 */
export function loadLayered<S extends z.ZodType>(schema: S, defaults: z.input<S>, envMap: EnvMap, options: LoadOptions = {}): z.output<S> {
  const env = options.env ?? process.env;
  const file = options.file ?? env.ESPACE_CONFIG ?? (existsSync('espace.yaml') ? 'espace.yaml' : undefined);
  const merged = deepMerge(deepMerge(deepMerge(defaults as Plain, fileLayer(file)), envLayer(env, envMap)), options.overrides ?? {});
  const result = schema.safeParse(merged);
  if (!result.success) {
    throw new AppError(
      2,
      'config-invalid',
      `configuration is wrong${file ? ` (file ${file})` : ''}: ${describeIssues(result.error)}. Fix the file or the matching ESPACE_* variable.`
    );
  }
  return result.data;
}
