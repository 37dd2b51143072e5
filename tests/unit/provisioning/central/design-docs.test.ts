import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CENTRAL_DBS, validatorTemplate } from '../../../../provisioning/central/design-docs.js';
import { EDITOR as editor, HEARTBEAT, HUB_USER as hub, refusal, validator } from '../../../support/central-rules.js';

const response = {
  _id: 'kayes-01:response:0mhz3k0x1000a1b2c3d4e5',
  type: 'response',
  hubId: 'kayes-01',
  createdAt: '2026-11-22T09:00:00Z',
  consultation: 'consultation:priorites',
  option: 'eau',
  deviceId: 'abcdefgh12',
};
const course = {
  _id: 'course:budget',
  type: 'course',
  audience: { all: true },
  title: { fr: 'Le budget communal' },
  summary: { fr: 'Comprendre le budget' },
  category: 'gouvernance',
  lessons: ['lesson:budget-1'],
};

describe('central validate_doc_update', () => {
  it('is ES5 that CouchDB can run (no let/const, arrows, classes or template strings)', () => {
    const code = validatorTemplate()
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(code, /\b(let|const|class)\s|=>|`|\.\.\.[A-Za-z_]/);
    for (const db of CENTRAL_DBS) assert.equal(typeof validator(db), 'function', db);
  });

  it('lets a hub write its own submissions and heartbeat', () => {
    validator('hub')(response, null, hub);
    validator('hub')(HEARTBEAT, null, hub);
  });

  it("refuses another hub's docs, naming the field and a correct example", () => {
    const msg = refusal(() => validator('hub')({ ...response, _id: 'nioro-02:response:0mhz3k0x1000a1b2c3d4e5', hubId: 'nioro-02' }, null, hub));
    assert.match(msg, /^_id: hub "kayes-01" may only write its own documents, for example "kayes-01:response:/);
    assert.match(
      refusal(() => validator('hub')({ ...response, hubId: 'nioro-02' }, null, hub)),
      /^hubId: must be this hub's id, "kayes-01"/
    );
    assert.match(
      refusal(() => validator('hub')({ _id: 'nioro-02', hubId: 'nioro-02' }, null, hub)),
      /^_id: hub "kayes-01"/
    );
  });

  it("lets only central's replicator write the merged submissions and fleet", () => {
    const replicator = { name: 'espace-replicator', roles: ['replicator'] };
    for (const db of ['submissions', 'fleet'] as const) {
      assert.match(
        refusal(() => validator(db)(response, null, hub)),
        /only central's replicator writes/
      );
      assert.match(
        refusal(() => validator(db)(response, null, editor)),
        /only central's replicator writes/
      );
    }
    validator('submissions')(response, null, replicator);
    validator('submissions')(response, null, { name: 'admin', roles: ['_admin'] });
  });

  it('refuses content and media from hubs, accepts them from editors', () => {
    assert.match(
      refusal(() => validator('content')(course, null, hub)),
      /only an editor/
    );
    assert.match(
      refusal(() => validator('media')({ _id: 'media:' + 'a'.repeat(64) }, null, hub)),
      /only an editor/
    );
    validator('content')(course, null, editor);
  });

  it('applies the shared schema: field named, hint from content/schema', () => {
    assert.equal(
      refusal(() => validator('hub')({ ...response, option: 'Eau Potable' }, null, hub)),
      'option: must be a slug: lowercase letters, digits and dashes, for example "kayes-commune"'
    );
    assert.match(
      refusal(() => validator('content')({ ...course, summary: {} }, null, editor)),
      /^summary\.fr: is required/
    );
    assert.match(
      refusal(() => validator('content')({ ...course, extra: 1 }, null, editor)),
      /^extra: is not a known field/
    );
    assert.match(
      refusal(() => validator('content')({ ...course, type: 'poster' }, null, editor)),
      /^type: must be one of course, lesson/
    );
    assert.match(
      refusal(() => validator('content')({ ...course, category: 'sport' }, null, editor)),
      /^category: must be one of \["gouvernance"/
    );
    const sha = 'b'.repeat(64);
    assert.match(
      refusal(() =>
        validator('media')({ _id: 'media:' + 'c'.repeat(64), type: 'media', sha256: sha, size: 3, mime: 'audio/ogg', filename: 'a.ogg' }, null, editor)
      ),
      /^_id: _id must be "media:" followed by the sha256/
    );
  });

  it('lets a hub delete its own submission but not write anonymously', () => {
    validator('hub')({ _id: response._id, _deleted: true }, response, hub);
    assert.match(
      refusal(() => validator('hub')(response, null, { name: null, roles: [] })),
      /only a hub/
    );
  });
});
