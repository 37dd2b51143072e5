import type { Request } from 'express';
import { formText } from '../http/index.js';

/** A trimmed text field of a posted form ('' when absent). */
export function field(req: Request, name: string): string {
  return formText(req.body, name)?.trim() ?? '';
}

/** A query-string value ('' when absent or repeated oddly). */
export function query(req: Request, name: string): string {
  const v = req.query[name];
  return typeof v === 'string' ? v.trim() : '';
}

/** A path parameter as a string. */
export function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** "2026-11-22T09:00" from a datetime-local input, as UTC (Mali's time zone). */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value;
}

/** The value a datetime-local input shows for an ISO time. */
export function isoToLocal(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : '';
}

/** A slug from a title, with a time suffix so two events with one title differ. */
export function slugFrom(title: string, maxLength: number): string {
  const base = title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, Math.max(1, maxLength - 9))
    .replace(/-+$/, '');
  return `${base || 'x'}-${Date.now().toString(36)}`;
}
