import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findTrade, foldSms, normalisePhone, parseSms } from '../../../../hub/sms/index.js';

describe('SMS keywords (French and Bambara)', () => {
  it('reads votes however they are typed', () => {
    assert.deepEqual(parseSms('VOTE PDESC 2'), { kind: 'vote', lang: 'fr', code: 'PDESC', choice: 2 });
    assert.deepEqual(parseSms('  vote   pdesc2 '), { kind: 'vote', lang: 'fr', code: 'PDESC', choice: 2 });
    assert.deepEqual(parseSms('Vote PDESC n°3'), { kind: 'vote', lang: 'fr', code: 'PDESC', choice: 3 });
    assert.deepEqual(parseSms('kalata pdesc 1'), { kind: 'vote', lang: 'bm', code: 'PDESC', choice: 1 });
    assert.deepEqual(parseSms('VOTE'), { kind: 'vote-malformed', lang: 'fr' });
    assert.deepEqual(parseSms('VOTE PDESC oui'), { kind: 'vote-malformed', lang: 'fr' });
  });

  it("reads registrations, keeping the person's spelling", () => {
    assert.deepEqual(parseSms('INSCRIPTION Awa Diarra Kayes teinture'), { kind: 'registration', lang: 'fr', words: ['Awa', 'Diarra', 'Kayes', 'teinture'] });
    assert.deepEqual(parseSms('tɔgɔsɛbɛn Sali Kɔnɛ Kayes numu'), { kind: 'registration', lang: 'bm', words: ['Sali', 'Kɔnɛ', 'Kayes', 'numu'] });
    assert.deepEqual(parseSms('Inscription Awa'), { kind: 'registration-malformed', lang: 'fr' });
  });

  it('honours STOP and ARRET with or without accents, and the Bambara words', () => {
    for (const t of ['STOP', 'stop', 'Arrêt', 'ARRET', 'arreter', 'dabila', 'STOP svp']) assert.equal(parseSms(t).kind, 'stop', t);
    assert.equal(parseSms('DABILA').lang, 'bm');
    assert.equal(parseSms('START').kind, 'start');
    assert.equal(parseSms('info').kind, 'info');
    assert.deepEqual(parseSms('kunnafoni'), { kind: 'info', lang: 'bm' });
  });

  it('leaves anything else for the facilitator, noting Bambara letters', () => {
    assert.deepEqual(parseSms('Bonjour, à quelle heure ?'), { kind: 'other', lang: 'fr' });
    assert.deepEqual(parseSms('I ni sɔgɔma'), { kind: 'other', lang: 'bm' });
    assert.equal(foldSms('Ɲɛ ŋaa Arrêt!'), 'NYE NGAA ARRET');
  });

  it('finds trades in French and Bambara words', () => {
    assert.equal(findTrade('teinture'), 'textile-teinture');
    assert.equal(findTrade('Forgeron'), 'metal-forge');
    assert.equal(findTrade('numu'), 'metal-forge');
    assert.equal(findTrade('garanke'), 'cuir');
    assert.equal(findTrade('karité'), 'transformation-alimentaire');
    assert.equal(findTrade('astronaute'), undefined);
  });

  it('writes phone numbers one way', () => {
    assert.equal(normalisePhone('76 12 34 56'), '+22376123456');
    assert.equal(normalisePhone('0022376123456'), '+22376123456');
    assert.equal(normalisePhone('+223 76-12-34-56'), '+22376123456');
    assert.equal(normalisePhone('Orange'), null);
    assert.equal(normalisePhone('3600'), null);
  });
});
