/** Central orders the hubs' HTTPS certificates by ACME (RFC 8555) with the DNS-01 challenge. */
export { orderCertificates, planCertificates, type AcmeOptions, type AcmeReport, type HubCertificatePlan } from './order.js';
export { rfc2136, dnsHook, waitForTxt, splitHostPort, type DnsChallenge, type Rfc2136Options, type HookOptions } from './dns.js';
