import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../../content/index.js';
import type { Config } from '../config/index.js';

/**
 * The one limit on what a phone may write: `limits.submissionsPerMinute` per address,
 * counted together for the portal's forms and the API (an attacker used to get both, 30 + 30
 * a minute). Made once per app and handed to both routers.
 */
export function phoneWriteLimit(config: Pick<Config, 'limits'>): RequestHandler {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: config.limits.submissionsPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(
        new AppError(
          429,
          'too-many-submissions',
          `too many submissions from this device (${config.limits.submissionsPerMinute} a minute at most, forms and API together); wait a minute and try again`
        )
      ),
  });
  return function phoneWriteLimit(req, res, next) {
    return limiter(req, res, next);
  };
}
