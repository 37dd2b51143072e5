import type { AdminRoute } from '../route-table.js';
import { consultationRoutes } from './consultations.js';
import { eventRoutes } from './events.js';
import { homeRoutes } from './home.js';
import { indicatorRoutes } from './indicators.js';
import { memberRoutes } from './members.js';
import { memberCodeRoutes } from './member-codes.js';
import { communityRoutes } from './community.js';
import { messageRoutes } from './messages.js';
import { sessionRoutes } from './session.js';
import { smsRoutes } from './sms.js';
import { opportunityRoutes } from './opportunities.js';
import { proposalRoutes } from './proposals.js';
import { grantRoutes } from './grants.js';
import { planRoutes } from './plans.js';
import { studioRoutes } from './studio.js';
import { technicianRoutes } from './technician.js';

/** Every console route with who may use it: the one table requireRole and the auth-matrix test read. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  ...sessionRoutes,
  ...homeRoutes,
  ...eventRoutes,
  ...memberRoutes,
  ...memberCodeRoutes,
  ...communityRoutes,
  ...messageRoutes,
  ...consultationRoutes,
  ...proposalRoutes,
  ...grantRoutes,
  ...planRoutes,
  ...opportunityRoutes,
  ...smsRoutes,
  ...indicatorRoutes,
  ...studioRoutes,
  ...technicianRoutes,
];
