import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, isNotFound } from '../../content/index.js';
import type { Logger } from '../log/index.js';
import { MEDIA_FRONT } from './media-front.js';

/**
 * A play as nginx's syslog sends it (`<190>Dec  3 09:32:18 espace_play: <key> <sha>`, no host
 * name): the key the hub made (`playsKey`), then the file's hash.
 */
const PLAY = new RegExp(`^<\\d{1,3}>[^<]{15} ${MEDIA_FRONT.playTag}: ([0-9a-f]{32}) ([0-9a-f]{64})$`);
const KEY_LINE = /^map \$espace_dir \$espace_play_key \{ default "([0-9a-f]{32})"; \}$/m;

/**
 * The key nginx puts in every play it reports, so that the hub counts plays from nginx only:
 * any local process can send a datagram to a loopback port, but only root and the hub's account
 * can read `<dataDir>/media-front-plays.conf` (mode 0600), which nginx includes at its start
 * (provisioning/render/templates/nginx.ts). Made at random by the hub's first start behind the
 * front, and kept: nginx, ordered after the hub, reads it at its start, or at the reload
 * provisioning's `espace-plays-key.path` makes when the file appears.
 */
export async function playsKey(dataDir: string): Promise<string> {
  const file = join(dataDir, MEDIA_FRONT.playsKey);
  for (;;) {
    try {
      const key = KEY_LINE.exec(await readFile(file, 'utf8'))?.[1];
      if (key) return key;
      throw new AppError(
        500,
        'plays-key-unreadable',
        `${file} holds no key of the front's plays: remove it, then restart the hub (it makes another) and nginx (it reads it)`
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    // Written whole under another name, then linked: never half a file, never over a key nginx read.
    const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(
      temp,
      `# The key of the plays the nginx front reports to the hub (hub/http/media-plays.ts): made by the hub, read by nginx.\n` +
        `map $espace_dir $espace_play_key { default "${randomBytes(16).toString('hex')}"; }\n`,
      { mode: 0o600 }
    );
    try {
      await link(temp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await unlink(temp);
    }
  }
}

export interface PlayReceiver {
  close(): Promise<void>;
}

/**
 * The plays the nginx front sends itself (a public file from its start: hub/http/README.md, "The
 * nginx front"), counted as the hub counts its own: nginx reports each with one syslog datagram
 * to the hub's port number on loopback, UDP (nothing written to the card, no request proxied),
 * carrying `key` (`playsKey`). Anything else arriving there is ignored, a forged play too. A
 * port already taken is logged: plays sent by the front are then not counted, and nothing else
 * changes.
 */
export function receivePlays(port: number, key: string, onPlay: (sha: string) => void, log: Logger): Promise<PlayReceiver> {
  const socket = createSocket('udp4');
  socket.on('message', (msg) => {
    const play = msg.length < 250 ? PLAY.exec(msg.toString('latin1')) : null;
    if (play && play[1] === key) onPlay(play[2]!);
  });
  const closed = (): PlayReceiver => ({ close: () => new Promise<void>((ok) => socket.close(() => ok())) });
  return new Promise((ok) => {
    socket.once('error', (err) => {
      log.error({ err, port }, "the front's plays cannot be received (UDP port taken): the plays nginx sends itself are not counted");
      ok({ close: () => Promise.resolve() });
    });
    socket.bind(port, '127.0.0.1', () => {
      socket.removeAllListeners('error');
      socket.on('error', (err) => log.error({ err }, "the front's plays: receive error"));
      ok(closed());
    });
  });
}
