import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { projectRoot } from '../../content/index.js';

const run = promisify(execFile);
const root = projectRoot();

/** Runs the project's graph check (the same as `make lint`) on some files; exit code and report. */
async function cruise(files: string[]): Promise<{ code: number; out: string }> {
  const bin = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  try {
    const { stdout } = await run(
      process.execPath,
      [bin, '--config', '.dependency-cruiser.cjs', '--no-cache', '--max-depth', '1', '--output-type', 'err', ...files],
      { cwd: root }
    );
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

describe('rooms the code cannot cross (the graph check of make test)', () => {
  it('fails on deliberate violations written in temporary files, and passes the same files done right', async () => {
    const tag = `graph-check-${process.pid}`;
    const files: Record<string, string> = {
      // The kiosk reaching into the hub.
      [`kiosk/${tag}-a.ts`]: "import { loadConfig } from '../hub/config/index.js';\nexport const a = loadConfig;\n",
      // The content room depending on the hub.
      [`content/${tag}-b.ts`]: "import { createLogger } from '../hub/log/index.js';\nexport const b = createLogger;\n",
      // The command line reaching past the hub's index.
      [`provisioning/${tag}-c.ts`]: "import { MediaStore } from '../hub/storage/media-store.js';\nexport const c = MediaStore;\n",
      // One hub room reaching past another's index.
      [`hub/portal/${tag}-d.ts`]: "import { SearchIndex } from '../search/search-index.js';\nexport const d = SearchIndex;\n",
    };
    const fine: Record<string, string> = {
      [`kiosk/${tag}-ok.ts`]: "import { createLogger } from '../content/index.js';\nexport const ok = createLogger;\n",
      [`provisioning/${tag}-ok.ts`]: "import { MediaStore } from '../hub/index.js';\nexport const ok = MediaStore;\n",
    };
    try {
      for (const [file, text] of Object.entries({ ...files, ...fine })) writeFileSync(join(root, file), text);
      const bad = await cruise(Object.keys(files));
      assert.notEqual(bad.code, 0, bad.out);
      assert.match(bad.out, new RegExp(`kiosk-imports-only-content: kiosk/${tag}-a\\.ts → hub/config/index\\.ts`));
      assert.match(bad.out, new RegExp(`content-imports-only-itself: content/${tag}-b\\.ts → hub/log/index\\.ts`));
      assert.match(bad.out, new RegExp(`through-hub-index: provisioning/${tag}-c\\.ts → hub/storage/media-store\\.ts`));
      assert.match(bad.out, new RegExp(`through-hub-search-index: hub/portal/${tag}-d\\.ts → hub/search/search-index\\.ts`));
      const good = await cruise(Object.keys(fine));
      assert.equal(good.code, 0, good.out);
    } finally {
      for (const file of Object.keys({ ...files, ...fine })) rmSync(join(root, file), { force: true });
    }
  });
});
