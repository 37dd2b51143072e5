import type { Request, Response } from 'express';
import type { LoginGuard, Role, SessionStore, UserStore } from '../auth/index.js';
import type { AuditLog } from '../audit/index.js';
import type { HubDeps } from '../deps.js';
import type { HubFigures } from './figures.js';
import type { SafeHtml } from './html.js';

export const STAFF: readonly Role[] = ['facilitator', 'technician'];
export const TECHNICIAN: readonly Role[] = ['technician'];
/** The studio: the staff and the volunteers who lend their voice. */
export const STUDIO: readonly Role[] = ['facilitator', 'technician', 'voice'];
/** Citizens' proposals: the staff (paper sheets) and the elected officials (answers). */
export const PROPOSALS: readonly Role[] = ['facilitator', 'technician', 'official'];
export const OFFICIAL: readonly Role[] = ['official'];
/** Calls for local initiatives: the staff help organisations apply and funded initiatives report. */
export const GRANTS: readonly Role[] = ['facilitator', 'technician'];

/** What every console handler works with; made once per app. */
export interface AdminServices {
  deps: HubDeps;
  users: UserStore;
  sessions: SessionStore;
  login: LoginGuard;
  audit: AuditLog;
  /** This hub's indicators and figures, with the last sources read. */
  figures: HubFigures;
}

/** A handler answers with a page, a redirect (after a change, audited), or writes the response itself (CSV, audio). */
export type AdminResult = { page: SafeHtml; status?: number } | { redirect: string; flash?: string; audit?: { target?: string; detail?: string } };

// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a handler that answered by itself (a download) returns nothing
export type AdminHandler = (s: AdminServices, req: Request, res: Response) => Promise<AdminResult | void>;

/**
 * One console route. The list of them (routes/index.ts) is the only place access is
 * decided: the router applies `requireRole(roles)` from it, and the auth-matrix test is
 * generated from it, so a new route cannot go unchecked.
 */
export interface AdminRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Who may use it; 'public' only for the login form. */
  roles: readonly Role[] | 'public';
  /** How a POST body comes: an HTML form (default) or a file upload. */
  body?: 'form' | 'multipart';
  /**
   * Several files, held in memory (small documents checked by the handler before anything is
   * stored), instead of the one file "file" written to the card: `req.files[name]`.
   */
  files?: readonly { name: string; maxCount: number }[];
  /** The audit log's name for what a POST does, e.g. "event.create". */
  action?: string;
  /** Values for the path's parameters, for the generated auth test. */
  example?: Record<string, string>;
  handle: AdminHandler;
}
