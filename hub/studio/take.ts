import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError, MAX_TAKE_BYTES, MAX_TAKE_SECONDS } from '../../content/index.js';

const run = promisify(execFile);

/** Loudness every take is brought to (RMS, dBFS), with a limiter so no peak clips. */
const TARGET_RMS_DB = -20;
/** Below this, once trimmed, a take holds no voice (the fake microphone's silence, a muted phone). */
const SILENT_RMS_DB = -50;
const MIN_VOICE_SECONDS = 0.3;

export interface ProcessedTake {
  /** Opus in Ogg, mono, speech at 16 kbit/s, like the pack's narration. */
  opus: Buffer;
  seconds: number;
  /** What the take was before trimming, for the bench and the log. */
  inputSeconds: number;
}

/**
 * A take as the studio keeps it: the silence at both ends trimmed, loudness brought to one
 * level, encoded as Opus at a speech bitrate. Done with Debian's sox and opusenc (both on
 * Raspberry Pi OS). The browser sends WAV (it decodes what it recorded or what was picked);
 * without JavaScript a file comes as it is, and sox reads WAV, MP3, OGG Vorbis, FLAC and AMR.
 * Refusals are AppErrors whose details the console shows as they are (in French).
 */
export async function processTake(input: Buffer): Promise<ProcessedTake> {
  if (input.length === 0) throw new AppError(422, 'take-empty', 'Le fichier est vide : enregistrez à nouveau.');
  if (input.length > MAX_TAKE_BYTES) {
    throw new AppError(
      413,
      'take-too-large',
      `Le fichier est trop gros (${Math.round(input.length / 1048576)} Mo ; ${MAX_TAKE_BYTES / 1048576} Mo au plus) : enregistrez une prise plus courte.`
    );
  }
  const dir = await mkdtemp(join(tmpdir(), `espace-take-${process.pid}-`));
  try {
    const source = join(dir, 'in');
    await writeFile(source, input);
    const inputSeconds = await duration(source);
    if (inputSeconds > MAX_TAKE_SECONDS) {
      throw new AppError(
        422,
        'take-too-long',
        `La prise dure ${Math.round(inputSeconds)} s ; ${MAX_TAKE_SECONDS} s au plus : coupez-la en plusieurs éléments ou parlez sans longues pauses.`
      );
    }
    // Mono 16 kHz, the silence (under 1 % for 0.1 s) cut at the start, then at the end (reversed).
    const trimmed = join(dir, 'trimmed.wav');
    await sox([source, '-c', '1', '-r', '16000', '-b', '16', trimmed, 'silence', '1', '0.1', '1%', 'reverse', 'silence', '1', '0.1', '1%', 'reverse']);
    const seconds = await duration(trimmed).catch(() => 0);
    const rms = seconds >= MIN_VOICE_SECONDS ? await rmsDb(trimmed) : -Infinity;
    if (seconds < MIN_VOICE_SECONDS || rms < SILENT_RMS_DB) {
      throw new AppError(422, 'take-silent', "On n'entend rien dans cette prise : vérifiez le micro, approchez-vous et enregistrez à nouveau.");
    }
    const level = join(dir, 'level.wav');
    await sox([trimmed, level, 'gain', '-l', (TARGET_RMS_DB - rms).toFixed(1)]);
    const out = join(dir, 'take.opus');
    await run('opusenc', ['--quiet', '--speech', '--bitrate', '16', '--downmix-mono', level, out]);
    return { opus: await readFile(out), seconds: Math.round(seconds * 10) / 10, inputSeconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function sox(args: string[]): Promise<void> {
  try {
    await run('sox', ['-V1', ...args]);
  } catch (e) {
    throw notAudio(e);
  }
}

async function duration(file: string): Promise<number> {
  try {
    const { stdout } = await run('soxi', ['-D', file]);
    const s = Number(stdout.trim());
    if (!Number.isFinite(s) || s <= 0) throw new Error(`no duration in "${stdout.trim()}"`);
    return s;
  } catch (e) {
    throw notAudio(e);
  }
}

async function rmsDb(file: string): Promise<number> {
  const { stderr } = await run('sox', [file, '-n', 'stats']);
  const m = /RMS lev dB\s+(-?[0-9.]+|-inf)/.exec(stderr);
  return !m || m[1] === '-inf' ? -Infinity : Number(m[1]);
}

function notAudio(cause: unknown): AppError {
  return new AppError(
    415,
    'take-not-audio',
    "Ce fichier n'est pas un son que le hub sait lire : enregistrez dans la page (avec JavaScript), ou envoyez un fichier WAV, MP3, OGG ou FLAC.",
    { cause }
  );
}
