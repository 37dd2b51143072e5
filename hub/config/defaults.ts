import type { Config } from './schema.js';

const weekday = [{ from: '08:00', to: '18:00' }];

export const DEFAULTS: Config = {
  hubId: 'kayes-demo',
  spaceName: 'Espace connecté de Kayes (démo)',
  commune: 'kayes',
  region: 'kayes',
  languages: ['fr', 'bm', 'snk'],
  dataDir: './var',
  host: '0.0.0.0',
  port: 8080,
  dnsName: 'espace.home.arpa',
  mdnsName: 'espace',
  mdns: true,
  mdnsInterface: '',
  logLevel: 'info',
  trustedKeys: [],
  trustDemoKey: true,
  seedDemo: true,
  wifi: { ssid: 'Espace-Connecte' },
  limits: { bodyBytes: 64 * 1024, submissionsPerMinute: 30 },
  central: {},
  sync: {
    enabled: true,
    intervalMinutes: 30,
    windows: [{ from: '00:00', to: '23:59' }],
    dailyBudgetMB: 50,
    retryBaseSeconds: 5,
    attemptsPerRun: 6,
    probeSeconds: 60,
    batchSize: 500,
    mediaChunkKB: 1024,
  },
  admin: { sessionIdleMinutes: 30, sessionMaxHours: 12, lockoutAttempts: 5, lockoutIpAttempts: 20, lockoutMinutes: 15, uploadMaxMB: 512 },
  kiosk: {
    hubUrl: 'http://127.0.0.1:8080',
    idleSeconds: 90,
    openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [{ from: '09:00', to: '13:00' }] },
    lowMemory: false,
    pin: '2468',
  },
};
