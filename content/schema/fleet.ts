import { z } from 'zod';
import { HubId, IsoDateTime, Slug } from './common.js';

/** One heartbeat doc per hub, id = hub id, written only by that hub. */
export const Heartbeat = z
  .object({
    _id: HubId,
    _rev: z.string().optional(),
    type: z.literal('heartbeat'),
    hubId: HubId,
    spaceName: z.string().max(200),
    commune: Slug,
    region: Slug,
    version: z.string().max(40),
    at: IsoDateTime,
    uptimeSeconds: z.number().nonnegative(),
    disk: z.object({ freeBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }).strict(),
    temperatureC: z.number().nullable(),
    lastSync: IsoDateTime.nullable(),
    counts: z.record(z.string(), z.number().int().nonnegative()),
    /**
     * HTTPS for phones: what the hub serves, and the CSR central orders its certificate from
     * (public; the key stays on the hub).
     */
    tls: z
      .object({
        name: z.string().max(253),
        state: z.enum(['waiting', 'valid', 'lapsed']),
        csr: z
          .string()
          .max(8000)
          .regex(/^-----BEGIN CERTIFICATE REQUEST-----/, 'csr must be a PEM certificate request'),
        notAfter: IsoDateTime.optional(),
        renewAt: IsoDateTime.optional(),
        why: z.string().max(500).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    function (h) {
      return h._id === h.hubId;
    },
    { error: '_id must equal hubId', path: ['_id'] }
  );
export type Heartbeat = z.infer<typeof Heartbeat>;
