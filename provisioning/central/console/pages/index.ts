import type { ConsolePage } from '../page-table.js';
import { homePage } from './home.js';
import { studioPage } from './studio.js';
import { fleetPage } from './fleet.js';
import { figuresPage } from './figures.js';
import { accountsPage } from './accounts.js';
import { publishPage } from './publish.js';
import { juryPage } from './jury.js';
import { mentoringPage, moderationPage } from './community.js';
import { mentoringSessionsPage } from './mentoring-sessions.js';
import { opportunitiesPage } from './opportunities.js';
import { proposalsPage } from './proposals.js';

/**
 * Every page of central's console: the one place a feature registers its page. A page is a
 * file in this folder exporting a `ConsolePage` (its menu entry and its routes, each with the
 * roles that may use it); add it to this list. The app applies the roles from here and the
 * access test (tests/integration/provisioning/central/console.test.ts) is generated from it.
 */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  homePage,
  publishPage,
  figuresPage,
  fleetPage,
  studioPage,
  juryPage,
  moderationPage,
  mentoringPage,
  mentoringSessionsPage,
  proposalsPage,
  accountsPage,
  // Issue 16: the artisans' opportunities and their interest from every space.
  opportunitiesPage,
];
