import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import {
  createCommunityUser,
  type Credentials,
  answerQuestion,
  approvePost,
  callAs,
  mentorQueue,
  moderationQueue,
  processCommunity,
  processProposals,
  scheduleSession,
  setMemberSuspended,
  setPostStatus,
  type CentralCall,
} from '../central/index.js';
import { adminCredentials } from './central.js';

/** The moderator's or mentor's own account: ESPACE_CENTRAL_USERNAME/PASSWORD (never argv), else an admin's. */
async function credentials(): Promise<Credentials> {
  const username = process.env.ESPACE_CENTRAL_USERNAME;
  const password = process.env.ESPACE_CENTRAL_PASSWORD;
  return username && password ? { username, password } : adminCredentials();
}

async function as(url: string): Promise<{ call: CentralCall; who: string }> {
  const creds = await credentials();
  return { call: callAs(url, creds), who: creds.username };
}

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new AppError(2, 'bad-number', `${name} must be a whole number, for example 3`);
  return n;
};

const AUDIO_MIME: Record<string, string> = { ogg: 'audio/ogg', opus: 'audio/ogg', webm: 'audio/webm', m4a: 'audio/mp4', mp3: 'audio/mpeg', wav: 'audio/wav' };

/** `espace central community …`: the moderators' and mentors' work from a terminal (the same functions the central console uses). */
export function registerCommunity(central: Command): void {
  const c = central.command('community').description('discussions and mentoring at central: apply the rules, the moderation queue, answers, group sessions');

  c.command('process')
    .description("apply the rules to what hubs pushed: publish trusted members' posts, queue first posts, hide after N flags, queue questions for the mentors")
    .requiredOption('--url <url>', 'central CouchDB')
    .option('--pre-moderated <n>', 'posts of a member a moderator approves before the next go out at once', positive('--pre-moderated'), 3)
    .option('--flags-to-hide <n>', 'distinct flags that hide a published post', positive('--flags-to-hide'), 3)
    .option('--watch <seconds>', 'run again every N seconds until stopped', positive('--watch'))
    .action(async (o: { url: string; preModerated: number; flagsToHide: number; watch?: number }) => {
      const { call } = await as(o.url);
      const rules = { preModeratedPosts: o.preModerated, flagsToHide: Math.max(1, o.flagsToHide) };
      for (;;) {
        const r = await processCommunity(call, rules);
        const p = await processProposals(call);
        out(
          `${new Date().toISOString()} seen ${r.seen}, queued ${r.queued}, published ${r.published}, hidden ${r.hidden}, questions ${r.questions}; proposals: ${p.published} published, ${p.studied} à l'étude, ${p.answered} answered`
        );
        if (!o.watch) return;
        await new Promise((ok) => setTimeout(ok, o.watch! * 1000));
      }
    });

  c.command('queue')
    .description('the moderation queue, oldest first')
    .requiredOption('--url <url>', 'central CouchDB')
    .action(async (o: { url: string }) => {
      const { call } = await as(o.url);
      const q = await moderationQueue(call);
      if (!q.length) return void out('the queue is empty');
      for (const i of q)
        out(
          `${i.post}\t${i.kind}\t${i.author.name} (${i.hub} ${i.author.code})\t${i.flags} flag(s)\t${i.hasVoice ? '[voix] ' : ''}${i.excerpt.replace(/\s+/g, ' ').slice(0, 80)}`
        );
    });

  for (const [name, action, help] of [
    ['hide', 'hide', 'hide a published post everywhere (a reason is required)'],
    ['restore', 'restore', 'publish again a hidden post (a reason is required)'],
    ['reject', 'reject', 'refuse a post waiting in the queue (a reason is required; its author sees it)'],
  ] as const) {
    c.command(`${name} <post>`)
      .description(help)
      .requiredOption('--url <url>', 'central CouchDB')
      .requiredOption('--reason <text>', 'why, in a few words')
      .action(async (post: string, o: { url: string; reason: string }) => {
        const { call, who } = await as(o.url);
        await setPostStatus(call, post, action, o.reason, who);
        out(`${post}: ${action} done`);
      });
  }

  c.command('approve <post>')
    .description('publish a post waiting in the queue, for every space')
    .requiredOption('--url <url>', 'central CouchDB')
    .action(async (post: string, o: { url: string }) => {
      const { call, who } = await as(o.url);
      await approvePost(call, post, who);
      out(`${post}: published`);
    });

  for (const [name, suspended] of [
    ['suspend', true],
    ['reinstate', false],
  ] as const) {
    c.command(`${name} <hub> <code>`)
      .description(`${suspended ? 'suspend' : 'reinstate'} a member code (reaches that space with its next pull)`)
      .requiredOption('--url <url>', 'central CouchDB')
      .requiredOption('--reason <text>', 'why, in a few words')
      .action(async (hub: string, code: string, o: { url: string; reason: string }) => {
        const { call, who } = await as(o.url);
        await setMemberSuspended(call, hub, code.toUpperCase(), suspended, o.reason, who);
        out(`${hub} ${code}: ${suspended ? 'suspended' : 'reinstated'}`);
      });
  }

  c.command('questions')
    .description('questions to the mentors from every space, unanswered first')
    .requiredOption('--url <url>', 'central CouchDB')
    .action(async (o: { url: string }) => {
      const { call } = await as(o.url);
      for (const q of await mentorQueue(call))
        out(
          `${q.question}\t${q.answeredAt ? 'answered' : 'waiting'}${q.resolvedAt ? ', solved' : ''}\t${q.visibility}\t${q.author.name} (${q.hub})\t${q.hasVoice ? '[voix] ' : ''}${(q.text ?? '').replace(/\s+/g, ' ').slice(0, 80)}`
        );
    });

  c.command('answer <question>')
    .description('answer a question by text and/or a recording (as the mentor whose account is used)')
    .requiredOption('--url <url>', 'central CouchDB')
    .option('--text <text>', 'the answer')
    .option('--voice <file>', 'a recording (.ogg/.opus, .webm, .m4a, .mp3, .wav)')
    .option('--lang <lang>', 'language of the answer', 'fr')
    .option('--name <name>', "the mentor's name as shown (default: the account name)")
    .action(async (question: string, o: { url: string; text?: string; voice?: string; lang: string; name?: string }) => {
      const { call, who } = await as(o.url);
      let voice: { data: Buffer; mime: string } | undefined;
      if (o.voice) {
        const ext = o.voice.split('.').pop()!.toLowerCase();
        const mime = AUDIO_MIME[ext];
        if (!mime) throw new AppError(2, 'bad-voice-file', `--voice must be a .ogg, .opus, .webm, .m4a, .mp3 or .wav file (got .${ext})`);
        voice = { data: await readFile(o.voice), mime };
      }
      await answerQuestion(call, question, { text: o.text, voice, lang: o.lang }, o.name ?? who);
      out(`${question}: answered; the asker's space gets it with its next pull`);
    });

  c.command('session')
    .description('schedule a group mentoring session (an event with the mentor) for every space')
    .requiredOption('--url <url>', 'central CouchDB')
    .requiredOption('--slug <slug>', "the event's id, e.g. mentorat-budget-2027-01")
    .requiredOption('--title <title>', 'title, in French')
    .requiredOption('--starts <iso>', 'start, e.g. 2027-01-15T16:00:00Z')
    .requiredOption('--place <place>', 'where (a space, or "en ligne")')
    .requiredOption('--commune <slug>', 'the commune it is in')
    .option('--capacity <n>', 'places', positive('--capacity'), 30)
    .option('--mentor <name>', 'the mentor leading it (default: the account name)')
    .action(async (o: { url: string; slug: string; title: string; starts: string; place: string; commune: string; capacity: number; mentor?: string }) => {
      const { call, who } = await as(o.url);
      const id = await scheduleSession(
        call,
        { slug: o.slug, title: o.title, startsAt: o.starts, place: o.place, commune: o.commune, capacity: o.capacity },
        o.mentor ?? who
      );
      out(`${id}: scheduled; every space gets it with its next pull`);
    });

  c.command('user <name>')
    .description('create a moderator or mentor account (password from ESPACE_NEW_PASSWORD; admin credentials from ESPACE_CENTRAL_ADMIN_USER/PASSWORD)')
    .requiredOption('--url <url>', 'central CouchDB')
    .requiredOption('--role <role>', 'moderator or mentor')
    .action(async (name: string, o: { url: string; role: string }) => {
      if (o.role !== 'moderator' && o.role !== 'mentor') throw new AppError(2, 'bad-role', '--role must be moderator or mentor');
      const password = process.env.ESPACE_NEW_PASSWORD;
      if (!password || password.length < 10)
        throw new AppError(2, 'password-missing', "set ESPACE_NEW_PASSWORD to the new account's password (10 characters at least)");
      await createCommunityUser(o.url, await adminCredentials(), name, password, o.role);
      out(`${o.role} ${name} created`);
    });
}
