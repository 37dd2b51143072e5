import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeWifi, wifiPayload } from '../../../../hub/portal/index.js';

describe('Wi-Fi QR payload', () => {
  it('escapes the characters the WIFI: format reserves', () => {
    assert.equal(escapeWifi('a;b,c"d:e\\f'), 'a\\;b\\,c\\"d\\:e\\\\f');
  });
  it('writes WPA networks with their passphrase, open ones without', () => {
    assert.equal(wifiPayload('Espace;Kayes', 'p:ss'), 'WIFI:T:WPA;S:Espace\\;Kayes;P:p\\:ss;;');
    assert.equal(wifiPayload('Espace-Connecte'), 'WIFI:T:nopass;S:Espace-Connecte;;');
  });
});
