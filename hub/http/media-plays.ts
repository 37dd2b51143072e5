import { createSocket } from 'node:dgram';
import type { Logger } from '../log/index.js';
import { MEDIA_FRONT } from './media-front.js';

/** A play as nginx's syslog sends it (`<190>Dec  3 09:32:18 espace_play: <sha>`, no host name). */
const PLAY = new RegExp(`^<\\d{1,3}>[^<]{15} ${MEDIA_FRONT.playTag}: ([0-9a-f]{64})$`);

export interface PlayReceiver {
  close(): Promise<void>;
}

/**
 * The plays the nginx front sends itself (a public file from its start: hub/http/README.md, "The
 * nginx front"), counted as the hub counts its own: nginx reports each with one syslog datagram
 * to the hub's port number on loopback, UDP (nothing written to the card, no request proxied).
 * Anything else arriving there is ignored. A port already taken is logged: plays sent by the
 * front are then not counted, and nothing else changes.
 */
export function receivePlays(port: number, onPlay: (sha: string) => void, log: Logger): Promise<PlayReceiver> {
  const socket = createSocket('udp4');
  socket.on('message', (msg) => {
    const play = msg.length < 200 ? PLAY.exec(msg.toString('latin1')) : null;
    if (play) onPlay(play[1]!);
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
