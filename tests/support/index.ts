export * from './hub.js';
export * from './browser.js';
export * from './fixtures.js';
export * from './sms.js';
export * from './community.js';
export * from './two-hubs.js';
export * from './nginx-front.js';
export * from './raw-http.js';
