/** The hub's HTTPS: its key and CSR, the installed chain and its checks, the second listener. */
export { checkChain, renewalDue, splitChain, type CertificateFacts } from './certificate.js';
export { TlsStore, writeDurably, type TlsState } from './store.js';
export { TlsService, type HeartbeatTls, type TlsOptions } from './service.js';
export { tlsRouter } from './router.js';
