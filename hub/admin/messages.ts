import { AppError, asSubmission, Feedback, parseWith, type SubmissionOf } from '../../content/index.js';
import { getDoc, rowsOf, type Database, type Stored } from '../storage/index.js';

/** A message as stored: one written before the console tracked it has no `status` (it is new). */
export type Message = Stored<SubmissionOf<'feedback'>>;
export const MESSAGE_STATUSES = ['new', 'forwarded', 'answered', 'hidden'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The messages to officials left on this hub, newest first. */
export async function allMessages(db: Database, hubId: string): Promise<Message[]> {
  const prefix = `${hubId}:feedback:`;
  const res = await db.allDocs({ include_docs: true, startkey: `${prefix}\ufff0`, endkey: prefix, descending: true });
  return rowsOf(res.rows, asSubmission('feedback'));
}

export async function getMessage(db: Database, hubId: string, id: string): Promise<Message> {
  if (!id.startsWith(`${hubId}:feedback:`)) throw new AppError(404, 'message-not-found', `no message "${id.slice(0, 80)}" on this hub`);
  return getDoc(db, id, asSubmission('feedback'), 'message-not-found', `no message "${id.slice(0, 80)}" on this hub`);
}

/** The name of a message's voice recording, if it has one. */
export function voiceOf(m: Message): string | undefined {
  return Object.keys(m._attachments ?? {}).find((n) => n.startsWith('voice.'));
}

export type MessageAction = { kind: 'forward' } | { kind: 'hide' } | { kind: 'unhide' } | { kind: 'answer'; answer: string; publish: boolean };

/**
 * Moves a message along: forwarded to the official, answered (the answer may be published on
 * the kiosk's results wall: only the official and the answer, never the message or its
 * author), hidden when abusive (never shown, still counted).
 */
export async function updateMessage(db: Database, m: Message, action: MessageAction): Promise<Message> {
  const next: Record<string, unknown> = { ...m, updatedAt: new Date().toISOString() };
  switch (action.kind) {
    case 'forward':
      next.status = 'forwarded';
      break;
    case 'hide':
      next.status = 'hidden';
      next.answerPublic = false;
      break;
    case 'unhide':
      next.status = m.answer ? 'answered' : 'new';
      break;
    case 'answer':
      if (!action.answer) throw new AppError(422, 'answer-empty', 'write the answer before saving it');
      next.status = 'answered';
      next.answer = action.answer;
      next.answerPublic = action.publish;
      break;
  }
  // The stored doc keeps its attachment stub; the schema checks the rest.
  parseWith(Feedback, next, 'invalid-message', 422);
  const res = await db.put(next as PouchDB.Core.PutDocument<Record<string, unknown>>);
  return { ...(next as Message), _rev: res.rev };
}

export interface PublishedAnswer {
  official: string;
  answer: string;
  answeredAt: string;
}

/**
 * What the kiosk's results wall may show: the official and the published answer only —
 * never the message, its author, or a hidden message. For the portal room.
 */
export async function publishedAnswers(db: Database, hubId: string): Promise<PublishedAnswer[]> {
  return (await allMessages(db, hubId))
    .filter((m) => m.status === 'answered' && m.answerPublic === true && m.answer)
    .map((m) => ({ official: m.official, answer: m.answer!, answeredAt: m.updatedAt ?? m.createdAt }));
}
