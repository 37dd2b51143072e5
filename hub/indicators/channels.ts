import { CHANNELS, type Channel } from '../../content/index.js';
import { addTo, emptyBreakdown, type Breakdown } from './breakdown.js';
import { inFilter, type IndicatorFilter, type IndicatorKey, type IndicatorReport, type IndicatorSources } from './compute.js';
import { indicatorsCsv } from './csv.js';

/** The acts whose channel is recorded: a vote, a registration, an "intéressé(e)". */
export const CHANNEL_KINDS = ['votes', 'registrations', 'interest'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
const KIND_OF: Record<string, ChannelKind> = { response: 'votes', registration: 'registrations', interest: 'interest' };

export const CHANNEL_LABELS: Record<Channel, string> = { web: 'Téléphones (Wi-Fi)', kiosk: 'Borne', sms: 'SMS', paper: 'Papier (saisi à la console)' };
export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = { votes: 'Votes', registrations: 'Inscriptions', interest: 'Intéressé·es' };

export interface ChannelRow {
  channel: Channel;
  label: string;
  /** Every act that came this way, by sex and age band. */
  all: Breakdown;
  /** The same, act by act. */
  byKind: Record<ChannelKind, Breakdown>;
}

/**
 * Participation by the way it reached the space — phones on the Wi-Fi, the kiosk, SMS, paper —
 * by sex and age band, for a period and commune. A doc from before channels were recorded
 * counts as web, as the consultation results do.
 */
export function channelFigures(src: IndicatorSources, filter: IndicatorFilter = {}): ChannelRow[] {
  const rows = CHANNELS.map((channel) => ({
    channel,
    label: CHANNEL_LABELS[channel],
    all: emptyBreakdown(),
    byKind: Object.fromEntries(CHANNEL_KINDS.map((k) => [k, emptyBreakdown()])) as Record<ChannelKind, Breakdown>,
  }));
  const byChannel = new Map<Channel, ChannelRow>(rows.map((r) => [r.channel, r]));
  for (const doc of src.submissions) {
    const kind = KIND_OF[String(doc.type)];
    if (!kind || doc._deleted || typeof doc._id !== 'string' || !inFilter(doc, filter, src)) continue;
    const row = byChannel.get((CHANNELS as readonly unknown[]).includes(doc.channel) ? (doc.channel as Channel) : 'web')!;
    addTo(row.all, doc.sex, doc.ageBand);
    addTo(row.byKind[kind], doc.sex, doc.ageBand);
  }
  return rows;
}

/** One scope's channel rows as an indicator report: a row per channel and per channel and act. */
function asReport(rows: readonly ChannelRow[], filter: IndicatorFilter): IndicatorReport {
  // The CSV reads a row's key only as text: "canal-sms", "canal-sms-votes"…
  const row = (key: string, label: string, breakdown: Breakdown) => ({ key: key as IndicatorKey, label, unit: '', note: '', breakdown });
  return {
    filter,
    attendances: 0,
    rows: rows.flatMap((r) => [
      row(`canal-${r.channel}`, r.label, r.all),
      ...CHANNEL_KINDS.map((k) => row(`canal-${r.channel}-${k}`, `${r.label} : ${CHANNEL_KIND_LABELS[k]}`, r.byKind[k])),
    ]),
  };
}

/** The figures by channel as CSV for French Excel, in the indicators' columns (scope, period, sex, age band, shares). */
export function channelsCsv(
  rows: readonly ChannelRow[],
  filter: IndicatorFilter,
  scope: string,
  more: { rows: readonly ChannelRow[]; scope: string }[] = []
): string {
  return indicatorsCsv(
    asReport(rows, filter),
    scope,
    more.map((m) => ({ report: asReport(m.rows, filter), scope: m.scope }))
  );
}
