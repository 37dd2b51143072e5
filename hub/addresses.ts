import { networkInterfaces } from 'node:os';
import type { Config } from './config/index.js';

/** Every address a phone or laptop could use to reach this hub. */
export function hubAddresses(config: Config, port: number): string[] {
  const suffix = port === 80 ? '' : `:${port}`;
  const urls = [`http://localhost${suffix}`];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) urls.push(`http://${a.address}${suffix}`);
    }
  }
  urls.push(`http://${config.dnsName}${suffix}`, `http://${config.mdnsName}.local${suffix}`);
  return urls;
}
