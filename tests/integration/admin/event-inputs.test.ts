import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../../support/index.js';
import { login, startConsoleHub, type Client } from './console.js';

/** Issue #20, item 7: what a facilitator types for an event, checked with each error beside its field, in French. */
describe('console event inputs', () => {
  let hub: TestHub;
  let f: Client;
  const good = {
    title: 'Atelier sur le budget',
    kind: 'atelier',
    description: '',
    startsAt: '2026-12-10T09:00',
    endsAt: '2026-12-10T12:00',
    place: 'Salle de la mairie',
    commune: 'kayes',
    capacity: '25',
  };
  before(async () => {
    hub = await startConsoleHub();
    await hub.deps.dbs.content.put({
      _id: 'commune:kayes-rurale',
      type: 'commune',
      name: 'Kayes N’Di',
      kind: 'commune-rurale',
      region: 'kayes',
      audience: { all: true },
    } as never);
    f = await login(hub.url, 'facilitator');
  });
  after(() => hub.stop());

  const errorOf = (page: string, name: string) => new RegExp(`id="${name}-error">([^<]*)<`).exec(page)?.[1]?.replace(/&#39;|&rsquo;/g, '’');

  it('offers the collectivités the hub knows as a list, not free text', async () => {
    const page = await (await f.get('/admin/events/new')).text();
    assert.match(page, /<select name="commune" id="commune"/);
    assert.match(page, /<option value="kayes-rurale"[^>]*>Kayes N’Di<\/option>/);
    assert.match(page, /<option value="kayes" selected>/);
  });

  it('refuses an end before the start, a one-letter title and an unknown commune, each said beside its field, keeping what was typed', async () => {
    const res = await f.post('/admin/events', { ...good, title: 'A', endsAt: '2026-12-10T08:00', commune: 'kayse', capacity: '0' });
    assert.equal(res.status, 422);
    const page = await res.text();
    assert.match(errorOf(page, 'title')!, /Le titre doit compter de 3 à 120 caractères/);
    assert.match(errorOf(page, 'endsAt')!, /La fin doit venir après le début/);
    assert.match(errorOf(page, 'commune')!, /Choisissez la commune dans la liste/);
    assert.match(errorOf(page, 'capacity')!, /nombre entier de 1 à 100 000/);
    assert.equal(errorOf(page, 'place'), undefined, 'no error where there is none');
    assert.match(page, /id="endsAt"[^>]*aria-invalid="true"/);
    assert.match(page, /value="Salle de la mairie"/, 'the form keeps what was typed');
    assert.match(page, /value="2026-12-10T08:00"/);
    const events = await hub.deps.catalog.all('event');
    assert.ok(!events.some((e) => (e as { title: { fr: string } }).title.fr === 'A'), 'nothing saved');
  });

  it('refuses control characters and direction overrides in the title and the place', async () => {
    const page = await (await f.post('/admin/events', { ...good, title: 'Atelier \u202eevil', place: 'Salle\u0000' })).text();
    assert.match(errorOf(page, 'title')!, /caractères invisibles ou de contrôle/);
    assert.match(errorOf(page, 'place')!, /caractères invisibles ou de contrôle/);
  });

  it('saves a correct event in a known commune', async () => {
    const res = await f.post('/admin/events', { ...good, commune: 'kayes-rurale' });
    assert.equal(res.status, 303);
    const events = await hub.deps.catalog.all('event');
    const saved = events.find((e) => (e as { title: { fr: string } }).title.fr === good.title) as unknown as { commune: string; endsAt: string };
    assert.equal(saved.commune, 'kayes-rurale');
    assert.equal(saved.endsAt, '2026-12-10T12:00:00Z');
  });
});
