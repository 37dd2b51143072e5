import { createHmac } from 'node:crypto';

/**
 * A phone number in one spelling, "+22376123456", whatever way it was typed or delivered
 * ("76 12 34 56", "0022376123456", "+223 76-12-34-56"), so opt-outs, votes and members match.
 * Null when it cannot be a phone number (a short code or an operator's name as sender).
 */
export function normalisePhone(raw: string, countryCode = '223'): string | null {
  const compact = raw.trim().replace(/[\s.()-]/g, '');
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (/^\d{8}$/.test(compact)) digits = countryCode + compact;
  else digits = compact;
  return /^\d{8,15}$/.test(digits) ? `+${digits}` : null;
}

/** "+223 76 •• •• 56": enough for the facilitator to recognise, not enough to copy. */
export function maskPhone(phone: string): string {
  return phone.length <= 6 ? phone : `${phone.slice(0, phone.length - 8)}•••• ${phone.slice(-2)}`;
}

/**
 * A pseudonym for a phone number, keyed by a secret kept on the hub: votes leave for central
 * with it instead of the number, and phone numbers are too few for a plain hash to hide them.
 */
export function phonePseudonym(secret: string, phone: string, scope = ''): string {
  return createHmac('sha256', secret).update(`${scope}|${phone}`).digest('hex');
}
