import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import type { Request, Response } from 'express';
import { LANGUAGES, type Language } from '../../content/index.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function cookies(req: Pick<IncomingMessage, 'headers'>): Record<string, string | undefined> {
  return parseCookie(req.headers.cookie ?? '');
}

export function languageOf(req: Pick<IncomingMessage, 'headers'>): Language | null {
  const lang = cookies(req).lang;
  return lang && (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : null;
}

export function setLanguage(res: Response, lang: Language): void {
  res.cookie('lang', lang, { maxAge: 5 * YEAR_MS, sameSite: 'lax', path: '/' });
}

/**
 * The anonymous device token that makes "one vote per device": random, kept in a cookie on
 * the phone (httpOnly: no script needs it, the forms carry it); the hub never ties it to a person.
 */
export function deviceId(req: Request, res: Response): string {
  const existing = cookies(req).device;
  if (existing && /^[A-Za-z0-9_-]{8,64}$/.test(existing)) return existing;
  const id = randomBytes(16).toString('base64url');
  res.cookie('device', id, { maxAge: 5 * YEAR_MS, sameSite: 'lax', path: '/', httpOnly: true });
  return id;
}

/** A way back inside the hub only (never an open redirect). */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && next.length < 500 ? next : fallback;
}
