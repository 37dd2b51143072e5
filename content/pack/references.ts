import { AppError } from '../errors.js';
import type { ContentDoc } from '../schema/index.js';

const SHA = /^[0-9a-f]{64}$/;

/** Every sha256 a doc refers to, wherever it sits (cover, photo, audio blocks, narration…). */
export function mediaReferences(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    if (SHA.test(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) mediaReferences(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) mediaReferences(v, out);
  }
  return out;
}

/**
 * Checks that a pack holds what its docs point to: a course's lessons and quiz, a lesson's
 * course (which lists it back), quiz blocks, an event's course, and every media file.
 * `where(id)` names the doc for the message (its source file when building).
 */
export function checkReferences(docs: readonly ContentDoc[], media: ReadonlySet<string>, where: (id: string) => string = (id) => id): void {
  const byId = new Map(docs.map((d) => [d._id, d]));
  const problems: string[] = [];
  const expect = (from: string, field: string, id: string | undefined, type: string) => {
    if (id === undefined) return;
    const target = byId.get(id);
    if (!target) problems.push(`${where(from)}: ${field} refers to ${id}, which is not in the pack`);
    else if (target.type !== type) problems.push(`${where(from)}: ${field} refers to ${id}, which is a ${target.type}, not a ${type}`);
  };
  for (const doc of docs) {
    switch (doc.type) {
      case 'course':
        doc.lessons.forEach((l, i) => expect(doc._id, `lessons.${i}`, l, 'lesson'));
        expect(doc._id, 'quiz', doc.quiz, 'quiz');
        break;
      case 'lesson': {
        expect(doc._id, 'course', doc.course, 'course');
        const course = byId.get(doc.course);
        if (course?.type === 'course' && !course.lessons.includes(doc._id)) {
          problems.push(`${where(doc._id)}: its course ${doc.course} does not list it; add "${doc._id}" to that course's lessons`);
        }
        doc.blocks.forEach((b, i) => b.kind === 'quiz' && expect(doc._id, `blocks.${i}.quiz`, b.quiz, 'quiz'));
        break;
      }
      case 'quiz':
        expect(doc._id, 'course', doc.course, 'course');
        break;
      case 'event':
        expect(doc._id, 'course', doc.course, 'course');
        break;
      default:
        break;
    }
    for (const sha of mediaReferences(doc)) {
      if (!media.has(sha)) problems.push(`${where(doc._id)}: refers to media ${sha}, which is not in the pack`);
    }
  }
  if (problems.length > 0) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new AppError(422, 'pack-broken-reference', `${problems.slice(0, 5).join('; ')}${more}`);
  }
}
