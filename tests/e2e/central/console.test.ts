import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PACK_FILE } from '../../../content/index.js';
import { projectRoot } from '../../../hub/index.js';
import { couch } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { ANALYST, startTestConsole, type TestConsole } from '../../support/console.js';
import { launchBrowser, startTestHub, type TestHub } from '../../support/index.js';

/**
 * Issue 13: the programme team's console in a real browser, as in Bamako: an editor publishes
 * the demo pack after seeing what changes, an analyst reads the fleet and the figures and
 * downloads the CSV French Excel opens.
 */
describe("central's console in Chromium: publish, fleet, figures, CSV", () => {
  let central: TestCentral;
  let cons: TestConsole;
  let hub: TestHub;
  let browser: Browser;

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central, { trustDemoKey: true });
    const e = await central.enroll('bafoulabe-01');
    hub = await startTestHub({ hubId: 'bafoulabe-01', central: { url: central.url, username: e.username, password: e.password } });
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    await central.settled();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
    await cons?.stop();
    await central?.stop();
  });

  async function signIn(who: { username: string; password: string }): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${cons.origin}/console`);
    await page.getByLabel('Nom d’utilisateur').or(page.locator('#username')).first().fill(who.username);
    await page.locator('#password').fill(who.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/console\/?$/);
    return page;
  }

  it('an editor sees what the pack changes, then publishes it for every hub', async () => {
    const page = await signIn(central.editor);
    await page.getByRole('navigation').getByRole('link', { name: 'Publier', exact: true }).click();
    await page.locator('#file').setInputFiles(join(projectRoot(), DEMO_PACK_FILE));
    await page.getByRole('button', { name: 'Voir ce qui change' }).click();
    await page.getByText(/document\(s\) nouveaux ou modifiés/).waitFor();
    const before = (await couch<{ total_rows: number }>(central.url, 'content/_all_docs?limit=0', central.admin)).body.total_rows;
    await page.getByRole('button', { name: 'Publier pour tous les hubs' }).click();
    await page.getByText(/^Publié :/).waitFor();
    const afterPublish = (await couch<{ total_rows: number }>(central.url, 'content/_all_docs?limit=0', central.admin)).body.total_rows;
    assert.ok(afterPublish > before + 20, `${before} → ${afterPublish}`);
    await page.context().close();
  });

  it('an analyst reads the fleet and the figures, and downloads the CSV for French Excel', async () => {
    const page = await signIn(ANALYST);
    await page.getByRole('navigation').getByRole('link', { name: 'Flotte', exact: true }).click();
    await page.getByText('bafoulabe-01').first().waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Chiffres', exact: true }).click();
    await page.getByRole('heading', { name: 'Chiffres de tous les espaces' }).or(page.getByText('Tous les hubs : indicateurs par sexe')).first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Exporter \(CSV/ }).click()]);
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM, so Excel reads UTF-8');
    const text = bytes.toString('utf8');
    assert.match(text.split('\n')[0]!, /;/, 'semicolons, as French Excel splits');
    assert.match(download.suggestedFilename(), /\.csv$/);
    // An editor has no figures: the menu does not offer them, and the page says so.
    await page.context().close();
    const editor = await signIn(central.editor);
    assert.equal(await editor.getByRole('navigation').getByRole('link', { name: 'Chiffres', exact: true }).count(), 0);
    const res = await editor.goto(`${cons.origin}/console/chiffres`);
    assert.equal(res?.status(), 403);
    await editor.context().close();
  });
});
