import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { createLogger } from '../../../../content/index.js';
import { receivePlays } from '../../../../hub/http/media-plays.js';
import { freePort } from '../../../support/hub.js';

/** Sends datagrams to the port, one after the other. */
async function sendAll(port: number, messages: string[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const m of messages) await new Promise<void>((ok, ko) => socket.send(m, port, '127.0.0.1', (err) => (err ? ko(err) : ok())));
  socket.close();
}

const SHA = 'ab'.repeat(32);

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
      (sha) => {
        plays.push(sha);
        if (sha === end) last();
      },
      createLogger('silent')
    );
    try {
      await sendAll(port, [
        `<190>Dec  3 09:32:18 espace_play: ${SHA}`,
        'hello',
        `<190>Dec  3 09:32:18 other_tag: ${SHA}`,
        `<190>Dec  3 09:32:18 espace_play: ${SHA}x`,
        `<190>Dec  3 09:32:18 espace_play: /media/../etc`,
        `<190>Dec 13 19:02:08 espace_play: ${SHA}`,
        `<190>Dec  3 09:32:18 espace_play: ${end}`,
      ]);
      await done;
      assert.deepEqual(plays, [SHA, SHA, end]);
    } finally {
      await receiver.close();
    }
  });

  it('a port already taken: logged, and the hub goes on', async () => {
    const port = await freePort();
    const first = await receivePlays(port, () => undefined, createLogger('silent'));
    const second = await receivePlays(port, () => undefined, createLogger('silent'));
    await second.close();
    await first.close();
  });
});
