import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * The one logger. JSON lines on stderr (journald keeps them); one child per room
 * (`log.child({ room: 'sync' })`) so every line says where it came from.
 */
export function createLogger(level: LevelWithSilent = 'info', name = 'espace'): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: ['password', '*.password', 'passphrase', '*.passphrase', 'pin', '*.pin', 'req.headers.cookie', 'req.headers.authorization'],
        censor: '***',
      },
    },
    pino.destination({ dest: 2, sync: false })
  );
}

/** A logger that drops everything (for tools that print their own output). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
