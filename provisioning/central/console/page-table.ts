import type { Request, Response } from 'express';
import type { AuditLog } from '../../../hub/index.js';
import type { LoginThrottle, Session, SessionStore } from '../../../hub/index.js';
import type { SafeHtml, Value } from '../../../hub/index.js';
import type { Logger } from '../../../hub/index.js';
import type { CookieAuth, CouchAnswer } from '../couch.js';
import type { ConsoleConfig } from './config.js';
import type { ConsoleRole } from './roles.js';

/** What every page works with; made once per console. */
export interface ConsoleServices {
  config: ConsoleConfig;
  sessions: SessionStore<ConsoleRole>;
  throttle: LoginThrottle;
  audit: AuditLog;
  log: Logger;
}

/** CouchDB's HTTP API as the signed-in person (their own AuthSession): CouchDB decides what they may do. */
export type CentralAs = <T = Record<string, unknown>>(
  path: string,
  init?: { method?: string; body?: unknown; headers?: Record<string, string> }
) => Promise<CouchAnswer<T>>;

/** One request to a page. */
export interface ConsoleContext {
  s: ConsoleServices;
  req: Request;
  res: Response;
  /** Null only on public routes (the sign-in form). */
  session: Session<ConsoleRole> | null;
  central: CentralAs;
  /** The same CouchDB session, for the central modules that take credentials (review, publish). */
  couchAuth(): CookieAuth;
  /** The console's page around `body`, with the menu for this person. */
  page(title: string, body: Value, opts?: { refreshSeconds?: number; scripts?: string[] }): SafeHtml;
  /** The menu entries this person may open. */
  menu(): { href: string; label: string }[];
}

/** A handler answers with a page, a redirect (after a change, audited), or writes the response itself (CSV). */
export type ConsoleResult = { page: SafeHtml; status?: number } | { redirect: string; flash?: string; audit?: { target?: string; detail?: string } };

export interface ConsoleRoute {
  method: 'GET' | 'POST';
  /** Under /console, e.g. "/console/fleet" or "/console/hubs/:hubId". */
  path: string;
  /** Who may use it (an admin always may); 'public' only for the sign-in form. */
  roles: readonly ConsoleRole[] | 'public';
  /** How a POST body comes: an HTML form (default) or a file upload (field "file"). */
  body?: 'form' | 'multipart';
  /** The audit log's name for what a POST does, e.g. "pack.publish". */
  action?: string;
  /** Values for the path's parameters, for the generated access test. */
  example?: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a handler that answered by itself (a download) returns nothing
  handle(ctx: ConsoleContext): Promise<ConsoleResult | void>;
}

/**
 * A page of the console: one file in pages/ exporting one of these, listed once in
 * pages/index.ts. The menu shows `nav` to the roles that may open `nav.href`.
 */
export interface ConsolePage {
  nav?: { href: string; label: string; /** Smaller first. */ order: number };
  routes: readonly ConsoleRoute[];
}
