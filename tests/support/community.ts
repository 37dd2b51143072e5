import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Member } from '../../content/index.js';
import { couch } from '../../provisioning/central/index.js';
import type { TestCentral } from './central.js';
import { tempDir, type TestHub } from './hub.js';
import { checkSubmission } from '../../hub/submissions/index.js';

let voice: Buffer | undefined;
/** A real short voice recording (espeak-ng, then opusenc as the README advises): Ogg Opus, a few KB. */
export function frenchVoice(): Buffer {
  if (voice) return voice;
  const dir = tempDir('espace-voice-');
  try {
    execFileSync('espeak-ng', ['-v', 'fr', '-w', join(dir.path, 'v.wav'), 'Bonjour, je parle du budget de la commune.']);
    execFileSync('opusenc', ['--quiet', '--speech', '--bitrate', '16', join(dir.path, 'v.wav'), join(dir.path, 'v.opus')]);
    voice = readFileSync(join(dir.path, 'v.opus'));
    return voice;
  } finally {
    dir.remove();
  }
}

export const TOPICS = [
  { _id: 'topic:budget-participatif', type: 'topic', audience: { all: true }, order: 1, title: { fr: 'Budget participatif' } },
  { _id: 'topic:jeunes-et-emploi', type: 'topic', audience: { all: true }, order: 2, title: { fr: 'Jeunes et emploi' } },
];

/** The programme's topics, published at central by the editor. */
export async function publishTopics(central: TestCentral): Promise<void> {
  const res = await couch<{ error?: string }[]>(central.url, 'content/_bulk_docs', central.editor, { method: 'POST', body: { docs: TOPICS } });
  if (res.body.some((r) => r.error)) throw new Error(`publishing topics failed: ${JSON.stringify(res.body)}`);
}

/** A registered person given a member code with this PIN (as the console does). */
export async function makeMember(hub: TestHub, name: string, pin = '2468', sex: 'F' | 'M' = 'F', ageBand = '15-24'): Promise<Member & { _rev: string }> {
  const { id } = await hub.deps.submissions.submit(
    checkSubmission('registration', { fullName: `${name} Traoré`, sex, ageBand, commune: 'kayes', phone: '+223 70 00 00 00', consent: true }),
    { hubId: hub.deps.config.hubId }
  );
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the stored registration, as issue() takes it
  const reg = (await hub.deps.dbs.submissions.get(id)) as never;
  return hub.deps.members.store.issue(reg, { displayName: name, pin }, 'test');
}

/** A member's signed-in client on the portal: cookie, and POSTs with this hub's Origin (as a browser sends them). */
export interface MemberClient {
  cookie: string;
  get(path: string): Promise<Response>;
  form(path: string, fields: Record<string, string>): Promise<Response>;
  multipart(path: string, fields: Record<string, string>, voiceFile?: { bytes: Uint8Array; name: string; type?: string }): Promise<Response>;
}

export async function signInMember(hub: TestHub, code: string, pin = '2468', lang = 'fr'): Promise<MemberClient> {
  const res = await fetch(`${hub.url}/membre`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: hub.url, accept: 'text/html', cookie: `lang=${lang}` },
    body: new URLSearchParams({ code, pin }),
  });
  const m = /espace_membre=([^;]+)/.exec(res.headers.getSetCookie().join('\n'));
  if (res.status !== 303 || !m) throw new Error(`sign-in of ${code} failed: ${res.status}`);
  const cookie = `espace_membre=${m[1]}; lang=${lang}`;
  const headers = { cookie, origin: hub.url, accept: 'text/html' };
  return {
    cookie,
    get: (path) => fetch(hub.url + path, { redirect: 'manual', headers }),
    form: (path, fields) =>
      fetch(hub.url + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      }),
    multipart: (path, fields, voiceFile) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      if (voiceFile) body.set('voice', new Blob([voiceFile.bytes as Uint8Array<ArrayBuffer>], { type: voiceFile.type ?? 'audio/ogg' }), voiceFile.name);
      return fetch(hub.url + path, { method: 'POST', redirect: 'manual', headers, body });
    },
  };
}
