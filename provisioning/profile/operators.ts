/**
 * Mobile data settings of the Malian operators, for the uplink's 3G/4G modem.
 * Source: Debian's mobile-broadband-provider-info (serviceproviders.xml, country "ml"), the
 * database NetworkManager's own assistant uses. Not yet confirmed on a SIM in Kayes: if the
 * modem registers but gets no data, ask the operator and set uplink.gsm.apn in the profile.
 */
export interface GsmOperator {
  name: string;
  /** MCC-MNC, as ModemManager reports it (`mmcli -m 0` → operator id). */
  mccMnc: string;
  apn: string;
  username?: string;
  password?: string;
  verified: false;
}

export const GSM_OPERATORS = {
  'orange-mali': { name: 'Orange Mali', mccMnc: '61002', apn: 'internet', username: 'internet', password: 'internet', verified: false },
  // Malitel is now Moov Africa Malitel; the database still lists its 3G+ APN.
  'moov-malitel': { name: 'Moov Africa Malitel', mccMnc: '61001', apn: 'web.malitel3.ml', username: 'internet', password: 'internet', verified: false },
} as const satisfies Record<string, GsmOperator>;

export type GsmOperatorId = keyof typeof GSM_OPERATORS;

/** The APN and credentials a profile's gsm uplink uses: its own values over the operator's. */
export function gsmSettings(g: {
  operator?: GsmOperatorId | undefined;
  apn?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}): { apn: string; username?: string; password?: string } {
  const op = g.operator ? GSM_OPERATORS[g.operator] : undefined;
  const apn = g.apn ?? op?.apn;
  if (!apn) throw new Error('a gsm uplink without apn passed validation');
  const username = g.username ?? (g.apn === undefined ? op?.username : undefined);
  const password = g.password ?? (g.apn === undefined ? op?.password : undefined);
  return { apn, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}
