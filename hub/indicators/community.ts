import type { Answer, Post, Question } from '../../content/index.js';
import { addTo, emptyBreakdown, type Breakdown } from './breakdown.js';

/** What the community's figures are computed from: posts and questions (submissions, with the author's sex and age band) and the answers central sent. */
export interface CommunitySources {
  posts: readonly Pick<Post, '_id' | 'hubId' | 'createdAt' | 'replyTo' | 'sex' | 'ageBand'>[];
  questions: readonly Pick<Question, '_id' | 'hubId' | 'createdAt' | 'sex' | 'ageBand'>[];
  answers: readonly Pick<Answer, 'question' | 'answers'>[];
  /** Ids of the questions their askers marked solved. */
  resolved: ReadonlySet<string>;
}

export interface SpaceCounts {
  posts: number;
  replies: number;
  questions: number;
  answered: number;
}

export interface CommunityFigures {
  /** Threads started (first posts), by the author's sex and age band. */
  posts: Breakdown;
  replies: Breakdown;
  questions: Breakdown;
  /** Questions with at least one mentor's answer. */
  answered: Breakdown;
  resolved: number;
  /** Hours from a question to its first answer, over the answered questions. */
  hoursToAnswer: { n: number; median: number | null; mean: number | null };
  bySpace: Record<string, SpaceCounts>;
}

const inRange = (at: string, range?: { from: string; to: string }) => !range || (at >= range.from && at < range.to);

/** The community's figures for a period (ISO bounds, `to` excluded), disaggregated by sex, age band and space. */
export function communityFigures(src: CommunitySources, range?: { from: string; to: string }): CommunityFigures {
  const f: CommunityFigures = {
    posts: emptyBreakdown(),
    replies: emptyBreakdown(),
    questions: emptyBreakdown(),
    answered: emptyBreakdown(),
    resolved: 0,
    hoursToAnswer: { n: 0, median: null, mean: null },
    bySpace: {},
  };
  const space = (hub: string) => (f.bySpace[hub] ??= { posts: 0, replies: 0, questions: 0, answered: 0 });
  for (const p of src.posts) {
    if (!inRange(p.createdAt, range)) continue;
    addTo(p.replyTo ? f.replies : f.posts, p.sex, p.ageBand);
    space(p.hubId)[p.replyTo ? 'replies' : 'posts'] += 1;
  }
  const firstAnswer = new Map<string, string>();
  for (const a of src.answers) {
    const first = a.answers.map((x) => x.at).sort()[0];
    if (first) firstAnswer.set(a.question, first);
  }
  const hours: number[] = [];
  for (const q of src.questions) {
    if (!inRange(q.createdAt, range)) continue;
    addTo(f.questions, q.sex, q.ageBand);
    space(q.hubId).questions += 1;
    const at = firstAnswer.get(q._id);
    if (at) {
      addTo(f.answered, q.sex, q.ageBand);
      space(q.hubId).answered += 1;
      hours.push(Math.max(0, (Date.parse(at) - Date.parse(q.createdAt)) / 3_600_000));
    }
    if (src.resolved.has(q._id)) f.resolved += 1;
  }
  if (hours.length) {
    hours.sort((a, b) => a - b);
    const mid = Math.floor(hours.length / 2);
    f.hoursToAnswer = {
      n: hours.length,
      median: hours.length % 2 ? hours[mid]! : (hours[mid - 1]! + hours[mid]!) / 2,
      mean: hours.reduce((s, h) => s + h, 0) / hours.length,
    };
  }
  return f;
}
