import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLogger } from '../../../../content/index.js';
import { MEDIA_FRONT } from '../../../../hub/http/media-front.js';
import { playsKey, receivePlays } from '../../../../hub/http/media-plays.js';
import { freePort, tempDir } from '../../../support/hub.js';

/** Sends datagrams to the port, one after the other. */
async function sendAll(port: number, messages: string[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const m of messages) await new Promise<void>((ok, ko) => socket.send(m, port, '127.0.0.1', (err) => (err ? ko(err) : ok())));
  socket.close();
}

const SHA = 'ab'.repeat(32);
const KEY = '0123456789abcdef'.repeat(2);

describe("the front's plays (issue 18, item 5)", () => {
  it("counts nginx's syslog datagrams of plays, and nothing else", async () => {
    const port = await freePort();
    const plays: string[] = [];
    let last: () => void = () => undefined;
    const done = new Promise<void>((ok) => (last = ok));
    const end = 'ef'.repeat(32);
    // Datagrams on loopback arrive in order: once the last is counted, every other was read.
    const receiver = await receivePlays(
      port,
      KEY,
      (sha) => {
        plays.push(sha);
        if (sha === end) last();
      },
      createLogger('silent')
    );
    try {
      await sendAll(port, [
        `<190>Dec  3 09:32:18 espace_play: ${KEY} ${SHA}`,
        'hello',
        `<190>Dec  3 09:32:18 other_tag: ${KEY} ${SHA}`,
        `<190>Dec  3 09:32:18 espace_play: ${KEY} ${SHA}x`,
        `<190>Dec  3 09:32:18 espace_play: ${KEY} /media/../etc`,
        // Forged: no key, another key, nginx's stand-in before it read the hub's.
        `<190>Dec  3 09:32:18 espace_play: ${SHA}`,
        `<190>Dec  3 09:32:18 espace_play: ${'f'.repeat(32)} ${SHA}`,
        `<190>Dec  3 09:32:18 espace_play: none ${SHA}`,
        `<190>Dec 13 19:02:08 espace_play: ${KEY} ${SHA}`,
        `<190>Dec  3 09:32:18 espace_play: ${KEY} ${end}`,
      ]);
      await done;
      assert.deepEqual(plays, [SHA, SHA, end]);
    } finally {
      await receiver.close();
    }
  });

  it('a port already taken: logged, and the hub goes on', async () => {
    const port = await freePort();
    const first = await receivePlays(port, KEY, () => undefined, createLogger('silent'));
    const second = await receivePlays(port, KEY, () => undefined, createLogger('silent'));
    await second.close();
    await first.close();
  });

  it('the key: made once at random, kept, readable by its owner only, in the form nginx includes', async () => {
    const dir = tempDir('espace-plays-');
    try {
      const key = await playsKey(dir.path);
      assert.match(key, /^[0-9a-f]{32}$/);
      const file = join(dir.path, MEDIA_FRONT.playsKey);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.match(readFileSync(file, 'utf8'), new RegExp(`^map \\$espace_dir \\$espace_play_key \\{ default "${key}"; \\}$`, 'm'));
      assert.equal(await playsKey(dir.path), key, 'kept');
      const [a, b] = await Promise.all([playsKey(dir.path), playsKey(dir.path)]);
      assert.equal(a, key);
      assert.equal(b, key);
    } finally {
      dir.remove();
    }
  });
});
