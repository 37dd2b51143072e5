import { raw, type Html } from './html.js';

/** Characters the Wi-Fi QR format reserves, escaped with a backslash (ZXing's WIFI: syntax). */
export function escapeWifi(s: string): string {
  return s.replace(/([\\;,":])/g, '\\$1');
}

export function wifiPayload(ssid: string, passphrase?: string): string {
  return passphrase ? `WIFI:T:WPA;S:${escapeWifi(ssid)};P:${escapeWifi(passphrase)};;` : `WIFI:T:nopass;S:${escapeWifi(ssid)};;`;
}

const cache = new Map<string, Html>();

/** A QR code as inline SVG, made on the hub (nothing fetched), with a text alternative beside it. */
export async function qrSvg(text: string): Promise<Html> {
  let svg = cache.get(text);
  if (!svg) {
    // Loaded on first use (the kiosk page): megabytes a phone-only hub never needs.
    const QRCode = (await import('qrcode')).default;
    const out = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
    // The library's SVG holds only paths drawn from our own string; make it decorative (the address is written beside it).
    svg = raw(out.replace('<svg ', '<svg class="qr" role="img" aria-hidden="true" focusable="false" '));
    cache.set(text, svg);
  }
  return svg;
}
