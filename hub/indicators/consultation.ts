import { CHANNELS, type Channel } from '../../content/index.js';
import { addTo, emptyBreakdown, type Breakdown } from './breakdown.js';

export interface ConsultationTally {
  consultation: string;
  total: Breakdown;
  options: { id: string; breakdown: Breakdown }[];
  /** Votes per commune of the voter ("unknown" when not given). */
  byCommune: Record<string, number>;
  /** Per option, votes per commune. */
  optionByCommune: Record<string, Record<string, number>>;
  /** Votes by how they came: web (phones), kiosk, sms, paper. Votes from before channels were recorded count as web. */
  byChannel: Record<Channel, number>;
  /** Per channel, votes by sex and age band. */
  channels: Record<Channel, Breakdown>;
}

/**
 * Counts a consultation's votes by option, sex, age band and commune. Votes for an option no
 * longer offered are ignored. `weight` says how many votes a row stands for (the submissions
 * room keeps running tallies as rows of identical votes with their count).
 */
export function tallyConsultation(
  consultationId: string,
  optionIds: readonly string[],
  responses: Iterable<Record<string, unknown>>,
  weight: (r: Record<string, unknown>) => number = () => 1
): ConsultationTally {
  const total = emptyBreakdown();
  const options = optionIds.map((id) => ({ id, breakdown: emptyBreakdown() }));
  const byId = new Map(options.map((o) => [o.id, o]));
  const byCommune: Record<string, number> = {};
  const optionByCommune: Record<string, Record<string, number>> = Object.fromEntries(optionIds.map((id) => [id, {}]));
  const byChannel = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  const channels = Object.fromEntries(CHANNELS.map((c) => [c, emptyBreakdown()])) as Record<Channel, Breakdown>;
  for (const r of responses) {
    if (r._deleted || r.type !== 'response' || r.consultation !== consultationId) continue;
    const slot = byId.get(String(r.option));
    if (!slot) continue;
    const n = weight(r);
    addTo(total, r.sex, r.ageBand, n);
    addTo(slot.breakdown, r.sex, r.ageBand, n);
    const commune = typeof r.commune === 'string' && r.commune ? r.commune : 'unknown';
    byCommune[commune] = (byCommune[commune] ?? 0) + n;
    const channel = (CHANNELS as readonly unknown[]).includes(r.channel) ? (r.channel as Channel) : 'web';
    byChannel[channel] += n;
    addTo(channels[channel], r.sex, r.ageBand, n);
    const oc = optionByCommune[slot.id]!;
    oc[commune] = (oc[commune] ?? 0) + n;
  }
  return { consultation: consultationId, total, options, byCommune, optionByCommune, byChannel, channels };
}
