import {
  AppError,
  APPLICANT_KINDS,
  callIsOpen,
  GRANT_FILE_EXT,
  GRANT_FILE_MAX_BYTES,
  GRANT_TEXT_MAX,
  isSafeText,
  parseWith,
  submissionId,
  submissionSchemas,
  VOICE_MAX_BYTES,
  type Application,
  asSubmission,
  type Call,
  type ContentOf,
  type GrantFileType,
  type GrantReport,
} from '../../content/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import { grantFigures, type GrantFigures } from '../indicators/index.js';
import { docsOf, getDoc, putDoc, type Databases, withAttachments } from '../storage/index.js';
import { sniffVoice, VOICE_EXT } from '../submissions/index.js';
import { sniffFile } from './sniff.js';

/** A file as the form sent it: the bytes (the name and declared type are never trusted). */
export interface UploadedFile {
  bytes: Uint8Array;
}

/** What the facilitator typed for an organisation (strings as sent), and the files. */
export interface ApplicationInput {
  organisation?: string;
  kind?: string;
  commune?: string;
  contactName?: string;
  contactPhone?: string;
  title?: string;
  text?: string;
  lines?: { label?: string; amount?: string }[];
  /** One per document the call asks for, by its index in `call.documents`. */
  documents?: (UploadedFile | undefined)[];
  voice?: UploadedFile;
}

export interface ReportInput {
  text?: string;
  done?: string;
  lines?: { label?: string; amount?: string }[];
  evidence?: UploadedFile[];
  voice?: UploadedFile;
}

/** A refused application or report: field → reason code (the console says it beside the field). Nothing was stored. */
export class GrantRefused extends AppError {
  constructor(readonly fields: Record<string, string>) {
    super(
      422,
      'invalid-application',
      `not stored: ${Object.entries(fields)
        .map(([f, r]) => `${f}: ${r}`)
        .join('; ')}`
    );
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/** "250 000", "250000", "250.000" → 250000; '' → undefined; anything else → NaN. */
function amountOf(raw: string | undefined): number | undefined {
  const s = (raw ?? '').replace(/[\s\u00a0\u202f.]/g, '');
  if (s === '') return undefined;
  return /^-?\d{1,13}$/.test(s) ? Number(s) : NaN;
}

/** Budget or spending lines: the filled rows, each with a label and a whole, non-negative amount. */
function checkLines(rows: ApplicationInput['lines'], fields: Record<string, string>): { label: string; amount: number }[] {
  const out: { label: string; amount: number }[] = [];
  (rows ?? []).forEach((row, i) => {
    const label = (row.label ?? '').trim();
    const amount = amountOf(row.amount);
    if (!label && amount === undefined) return;
    if (!label) fields[`line-${i}`] = 'line-label';
    else if (label.length > 120 || !isSafeText(label)) fields[`line-${i}`] = 'line-label-long';
    else if (amount === undefined || Number.isNaN(amount)) fields[`line-${i}`] = 'line-amount-number';
    else if (amount < 0) fields[`line-${i}`] = 'line-amount-negative';
    else out.push({ label, amount });
  });
  return out;
}

function voiceAttachment(voice: UploadedFile | undefined, fields: Record<string, string>): Record<string, unknown> {
  if (!voice || voice.bytes.length === 0) return {};
  if (voice.bytes.length > VOICE_MAX_BYTES) {
    fields.voice = 'voice-too-long';
    return {};
  }
  const mime = sniffVoice(voice.bytes);
  if (!mime) {
    fields.voice = 'not-audio';
    return {};
  }
  return { [`voice.${VOICE_EXT[mime]}`]: { content_type: mime, data: Buffer.from(voice.bytes).toString('base64') } };
}

/**
 * Calls for local initiatives at this space: the calls central published (content), the
 * applications organisations make here with the facilitator (with their documents and voice,
 * pushed up as submissions), and the funded initiatives' reports.
 */
export class GrantService {
  constructor(
    private readonly dbs: Databases,
    private readonly catalog: Catalog,
    private readonly config: Config
  ) {}

  async calls(): Promise<Call[]> {
    return (await this.catalog.all('call')).map(withDefaults).sort((a, b) => b.deadline.localeCompare(a.deadline) || a._id.localeCompare(b._id));
  }

  async call(id: string): Promise<Call> {
    const c = await this.catalog.maybe(id);
    if (c?.type !== 'call') throw new AppError(404, 'call-not-found', `no call ${id.slice(0, 80)} on this hub`);
    return withDefaults(c);
  }

  isOpen(c: Call): boolean {
    return callIsOpen(c, today());
  }

  /** The names of the call's communes (for forms). */
  async communeNames(c: Call): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of c.communes) {
      const doc = await this.catalog.maybe(`commune:${id}`);
      names.set(id, doc?.type === 'commune' ? doc.name : id);
    }
    return names;
  }

  /** Applications made at this space (personal: staff only), newest first. */
  async applications(call?: string): Promise<Application[]> {
    const out: Application[] = [];
    for await (const d of docsOf(this.dbs.submissions, `${this.config.hubId}:application:`, asSubmission('application')))
      if (!call || d.call === call) out.push(d);
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async application(id: string): Promise<Application> {
    return getDoc(this.dbs.submissions, id, asSubmission('application'), 'application-not-found', 'no such application at this space');
  }

  async attachment(id: string, name: string): Promise<{ mime: string; data: Buffer } | null> {
    const read = await withAttachments(this.dbs.submissions, id);
    if (!read || (read.doc.type !== 'application' && read.doc.type !== 'grantreport')) return null;
    return read.files.get(name) ?? null;
  }

  async reports(application?: string): Promise<GrantReport[]> {
    const out: GrantReport[] = [];
    for await (const d of docsOf(this.dbs.submissions, `${this.config.hubId}:grantreport:`, asSubmission('grantreport')))
      if (!application || d.application === application) out.push(d);
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The form checked field by field: field → reason code, and the doc's fields when all is well. */
  check(c: Call, input: ApplicationInput): { fields: Record<string, string>; doc: Partial<Application> } {
    const fields: Record<string, string> = {};
    if (today() < c.opens) fields.call = 'not-open';
    else if (today() > c.deadline) fields.call = 'closed';
    const organisation = (input.organisation ?? '').trim();
    if (organisation.length < 2) fields.organisation = 'organisation-short';
    else if (organisation.length > 120 || !isSafeText(organisation)) fields.organisation = 'organisation-long';
    if (!(APPLICANT_KINDS as readonly string[]).includes(input.kind ?? '')) fields.kind = 'kind';
    else if (!(c.eligible as readonly string[]).includes(input.kind!)) fields.kind = 'kind-not-eligible';
    if (!c.communes.includes(input.commune ?? '')) fields.commune = 'commune';
    const contactName = (input.contactName ?? '').trim();
    if (contactName.length < 2 || contactName.length > 80 || !isSafeText(contactName)) fields.contactName = 'contact-name';
    const contactPhone = (input.contactPhone ?? '').trim();
    if (!/^\+?[0-9 ]{8,16}$/.test(contactPhone)) fields.contactPhone = 'contact-phone';
    const title = (input.title ?? '').trim();
    if (title.length < 3) fields.title = 'title-short';
    else if (title.length > 160 || !isSafeText(title)) fields.title = 'title-long';
    const text = (input.text ?? '').trim();
    if (text.length > GRANT_TEXT_MAX) fields.text = 'text-long';
    else if (text && !isSafeText(text, true)) fields.text = 'unsafe';
    const lines = checkLines(input.lines, fields);
    const total = lines.reduce((s, l) => s + l.amount, 0);
    if (!lines.length && !Object.keys(fields).some((f) => f.startsWith('line-'))) fields.lines = 'lines-empty';
    else if (lines.length && total <= 0) fields.lines = 'total-zero';
    else if (total > c.maxPerGrant) fields.lines = 'total-over-max';
    const attachments: Record<string, unknown> = {};
    const documents: Application['documents'] = [];
    c.documents.forEach((want, i) => {
      const f = input.documents?.[i];
      if (!f || f.bytes.length === 0) {
        if (want.required) fields[`doc-${i}`] = 'file-missing';
        return;
      }
      if (f.bytes.length > GRANT_FILE_MAX_BYTES) {
        fields[`doc-${i}`] = 'file-large';
        return;
      }
      const type = sniffFile(f.bytes);
      if (!type || !(want.types as readonly string[]).includes(type)) {
        fields[`doc-${i}`] = 'file-type';
        return;
      }
      const name = `doc-${i}-${want.kind}.${GRANT_FILE_EXT[type]}`;
      attachments[name] = { content_type: type, data: Buffer.from(f.bytes).toString('base64') };
      documents.push({ name, kind: want.kind, type, size: f.bytes.length });
    });
    Object.assign(attachments, voiceAttachment(input.voice, fields));
    if (!text && !Object.keys(attachments).some((k) => k.startsWith('voice.')) && !fields.voice && !fields.text) fields.text = 'empty';
    return {
      fields,
      doc: {
        call: c._id,
        organisation,
        kind: input.kind as Application['kind'],
        commune: input.commune ?? '',
        contact: { name: contactName, phone: contactPhone },
        title,
        ...(text ? { text } : {}),
        lines,
        total,
        documents,
        ...(Object.keys(attachments).length ? { _attachments: attachments } : {}),
      },
    };
  }

  /** An organisation's application, made with the facilitator: checked (GrantRefused, nothing stored), then on disk, pushed with the next sync. */
  async apply(callId: string, input: ApplicationInput, by: string): Promise<Application> {
    const c = await this.call(callId);
    const { fields, doc: typed } = this.check(c, input);
    if (Object.keys(fields).length) throw new GrantRefused(fields);
    const now = new Date();
    const doc = {
      _id: submissionId(this.config.hubId, 'application', now.getTime()),
      type: 'application',
      hubId: this.config.hubId,
      createdAt: now.toISOString(),
      ...typed,
      by,
    };
    const stored: Application = parseWith(submissionSchemas.application, doc, 'invalid-application', 422);
    await putDoc(this.dbs.submissions, doc);
    return stored;
  }

  /** Whether central's published results fund this application (and how much). */
  fundedBy(c: Call, application: string): number | null {
    const r = c.results?.ranking.find((x) => x.application === application && x.funded);
    return r ? r.amount : null;
  }

  /** A funded initiative's report: progress (text and/or voice, share done), spending lines, evidence (photo or document). */
  async report(application: string, input: ReportInput, by: string): Promise<GrantReport> {
    const app = await this.application(application);
    const c = await this.call(app.call);
    const fields: Record<string, string> = {};
    if (this.fundedBy(c, application) === null) fields.call = 'not-funded';
    const text = (input.text ?? '').trim();
    if (text.length > GRANT_TEXT_MAX) fields.text = 'text-long';
    else if (text && !isSafeText(text, true)) fields.text = 'unsafe';
    const rawDone = (input.done ?? '').trim().replace(',', '.');
    const done = Number(rawDone);
    if (rawDone === '' || !Number.isFinite(done) || done < 0 || done > 100) fields.done = 'done';
    const lines = checkLines(input.lines, fields);
    const attachments: Record<string, unknown> = {};
    (input.evidence ?? []).forEach((f, i) => {
      if (f.bytes.length === 0) return;
      if (f.bytes.length > GRANT_FILE_MAX_BYTES) fields.evidence = 'file-large';
      else {
        const type: GrantFileType | null = sniffFile(f.bytes);
        if (!type) fields.evidence = 'file-type';
        else attachments[`evidence-${i}.${GRANT_FILE_EXT[type]}`] = { content_type: type, data: Buffer.from(f.bytes).toString('base64') };
      }
    });
    Object.assign(attachments, voiceAttachment(input.voice, fields));
    if (!text && !Object.keys(attachments).some((k) => k.startsWith('voice.')) && !fields.voice && !fields.text) fields.text = 'empty';
    if (Object.keys(fields).length) throw new GrantRefused(fields);
    const now = new Date();
    const doc = {
      _id: submissionId(this.config.hubId, 'grantreport', now.getTime()),
      type: 'grantreport',
      hubId: this.config.hubId,
      createdAt: now.toISOString(),
      call: c._id,
      application,
      ...(text ? { text } : {}),
      done,
      lines,
      spent: lines.reduce((s, l) => s + l.amount, 0),
      ...(Object.keys(attachments).length ? { _attachments: attachments } : {}),
      by,
    };
    const stored: GrantReport = parseWith(submissionSchemas.grantreport, doc, 'invalid-report', 422);
    await putDoc(this.dbs.submissions, doc);
    return stored;
  }

  /** The figures of the calls at this space: its own applications and reports, and what central published. */
  async figures(): Promise<GrantFigures> {
    return grantFigures(await this.calls(), await this.applications(), await this.reports());
  }
}

/**
 * A call as stored may lack the fields its schema defaults (central validates a doc without
 * filling them in): filled here as the schema would, so pages read `documents` and weights as set.
 */
function withDefaults(c: ContentOf<'call'>): Call {
  return {
    ...c,
    criteria: c.criteria.map((k) => ({ ...k, weight: k.weight ?? 1 })),
    documents: (c.documents ?? []).map((d) => ({ ...d, required: d.required ?? false })),
  };
}
