import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hubOrigin, isAllowedNavigation, isAllowedRequest, isHubUrl, isKioskPageUrl } from '../../../kiosk/policy/origin.js';

const origin = hubOrigin('http://hub.example:8080/anything?x=1');

describe('kiosk navigation policy', () => {
  it('takes the hub origin from the configured address', () => {
    assert.equal(origin, 'http://hub.example:8080');
    assert.equal(hubOrigin('http://127.0.0.1:80'), 'http://127.0.0.1');
    assert.throws(() => hubOrigin('file:///etc/passwd'), /plain http/);
    assert.throws(() => hubOrigin('http://user:pw@hub.example'), /plain http/);
    assert.throws(() => hubOrigin('not a url'), /plain http/);
  });

  it('allows pages on exactly the hub origin', () => {
    assert.equal(isAllowedNavigation('http://hub.example:8080/kiosk', origin), true);
    assert.equal(isAllowedNavigation('http://hub.example:8080/courses/x?lang=bm#top', origin), true);
    assert.equal(isAllowedNavigation('HTTP://HUB.EXAMPLE:8080/kiosk', origin), true);
  });

  it('refuses look-alike origins', () => {
    for (const url of [
      'http://hub.example.attacker:8080/kiosk',
      'http://hub.example:8080.attacker/',
      'http://hub.example:8080@evil.example/',
      'http://hub.example@evil.example:8080/',
      'http://evil.example/?http://hub.example:8080/',
      'http://evil.example/http://hub.example:8080',
      'http://xhub.example:8080/',
      'http://hub.example:8081/kiosk',
      'http://hub.example/kiosk',
      'https://hub.example:8080/kiosk',
      'ws://hub.example:8080/',
      'http://user:pass@hub.example:8080/kiosk',
      'http://hub.example%2eattacker:8080/',
      '//hub.example:8080/kiosk',
      '/kiosk',
      '',
    ]) {
      assert.equal(isAllowedNavigation(url, origin), false, url);
    }
  });

  it('refuses other schemes', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:location="http://hub.example:8080"',
      'file:///etc/passwd',
      'file://hub.example:8080/kiosk',
      'data:text/html,<script>alert(1)</script>',
      'blob:http://hub.example:8080/1234',
      'about:blank',
      'chrome://gpu',
      'devtools://devtools/bundled/inspector.html',
      'view-source:http://hub.example:8080/',
      'espace-kiosk://app/offline.html',
    ]) {
      assert.equal(isAllowedNavigation(url, origin), false, url);
    }
  });

  it('recognises the kiosk pages by scheme and host only', () => {
    assert.equal(isKioskPageUrl('espace-kiosk://app/offline.html'), true);
    assert.equal(isKioskPageUrl('espace-kiosk://evil/offline.html'), false);
    assert.equal(isKioskPageUrl('espace-kiosk://x@app/offline.html'), false);
    assert.equal(isKioskPageUrl('http://app/offline.html'), false);
  });

  it('lets requests reach the hub, its WebSocket, the kiosk pages and in-page data only', () => {
    assert.equal(isAllowedRequest('http://hub.example:8080/media/abc', origin), true);
    assert.equal(isAllowedRequest('ws://hub.example:8080/live', origin), true);
    assert.equal(isAllowedRequest('wss://hub.example:8080/live', origin), false);
    assert.equal(isAllowedRequest('ws://hub.example:9999/live', origin), false);
    assert.equal(isAllowedRequest('espace-kiosk://app/offline.css', origin), true);
    assert.equal(isAllowedRequest('data:image/png;base64,AAAA', origin), true);
    assert.equal(isAllowedRequest('https://fonts.example/font.woff2', origin), false);
    assert.equal(isAllowedRequest('http://hub.example.attacker:8080/x', origin), false);
    assert.equal(isHubUrl('http://hub.example:8080', origin), true);
  });
});
