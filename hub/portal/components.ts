import { pickText, type Audio, type Language, type Text } from '../../content/index.js';
import type { PageContext } from './context.js';
import { html, raw, type Html } from './html.js';
import { LANGUAGE_NAMES } from './i18n.js';
import { excerpt, markdown } from './markdown.js';

export function icon(ctx: PageContext, name: string, cls = 'i'): Html {
  return html`<svg class="${cls}" aria-hidden="true" focusable="false"><use href="${ctx.assets.url('icons.svg')}#${name}"></use></svg>`;
}

/**
 * Emoji an author may have written, drawn with the hub's own icons: the kiosk has no colour
 * emoji font (it shows empty boxes), and a phone's font draws them its own way.
 */
const EMOJI_ICONS: Record<string, string> = {
  '💧': 'water',
  '🚰': 'water',
  '🏥': 'health',
  '⚕️': 'health',
  '📚': 'school',
  '🏫': 'school',
  '🧰': 'tools',
  '🔧': 'tools',
  '🌱': 'plant',
  '🌾': 'plant',
  '🧹': 'broom',
  '🔊': 'speaker',
  '🔈': 'speaker',
  '📞': 'handset',
  '☎️': 'handset',
  '🎤': 'mic',
  '📱': 'phone',
  '✅': 'check',
  '✔️': 'check',
  '⚠️': 'alert',
  ℹ️: 'info',
  '📍': 'pin',
  '📅': 'agenda',
  '🔒': 'lock',
  '⭐': 'star',
  '📢': 'megaphone',
  '📣': 'megaphone',
  '✉️': 'mail',
  '🌍': 'globe',
  '👩': 'woman',
  '👨': 'man',
  '🗺️': 'map',
  '💰': 'money',
  '⚖️': 'law',
};
/** Any pictograph emoji (with its variation selector or skin tone), so none is left as a box. */
const EMOJI = /(?:\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)+/gu;

function emojiIcon(ctx: PageContext, e: string, cls: string): string {
  const name = EMOJI_ICONS[e] ?? EMOJI_ICONS[e.replace(/\uFE0F/g, '')] ?? EMOJI_ICONS[`${e}\uFE0F`];
  return name ? icon(ctx, name, cls).value : '';
}

/** HTML with every emoji of its text (never of its tags) drawn as the hub's icon, or dropped. */
export function emojiToIcons(ctx: PageContext, markup: string, cls = 'i sm'): string {
  if (!/\p{Extended_Pictographic}/u.test(markup)) return markup;
  return markup
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith('<') ? part : part.replace(EMOJI, (e) => emojiIcon(ctx, e, cls))))
    .join('');
}

/** Plain words without emoji (attributes, labels read out). */
export function withoutEmoji(s: string): string {
  return /\p{Extended_Pictographic}/u.test(s)
    ? s
        .replace(EMOJI, '')
        .replace(/\s{2,}/g, ' ')
        .trim()
    : s;
}

/** The visible mark on anything shown in French because the visitor's language is missing. */
export function inFrench(ctx: PageContext): Html {
  return html`<span class="fb" lang="${ctx.lang}">${ctx.t('common.inFrench')}</span>`;
}

/** A content text in the visitor's language, or in French with the mark. */
export function text(ctx: PageContext, t: Text | undefined): Html {
  if (!t) return html``;
  const picked = pickText(t, ctx.lang);
  const words = raw(emojiToIcons(ctx, html`${picked.value}`.value));
  if (picked.lang === ctx.lang) return words;
  return html`<span lang="fr">${words}</span> ${inFrench(ctx)}`;
}

/** The first words of a content text (Markdown), with the French mark when it falls back. */
export function summary(ctx: PageContext, t: Text | undefined, max = 180): Html {
  if (!t) return html``;
  const picked = pickText(t, ctx.lang);
  const words = withoutEmoji(excerpt(picked.value, max));
  return picked.lang === ctx.lang ? html`${words}` : html`<span lang="fr">${words}</span> ${inFrench(ctx)}`;
}

/** A content text written in Markdown, as a block, with the French mark when it falls back. */
export function richText(ctx: PageContext, t: Text | undefined): Html {
  if (!t) return html``;
  const picked = pickText(t, ctx.lang);
  const body = raw(emojiToIcons(ctx, markdown(picked.value).value));
  return picked.lang === ctx.lang ? html`<div class="body">${body}</div>` : html`<div class="body" lang="fr">${body}<p>${inFrench(ctx)}</p></div>`;
}

/** Plain string of a content text (for attributes, titles). */
export function plain(ctx: PageContext, t: Text | undefined): string {
  return t ? withoutEmoji(pickText(t, ctx.lang).value) : '';
}

/** Whose voice a ▶ plays: a person's (the studio's recordings, any Bambara or Soninké one) or the synthetic French one. */
export type VoiceKind = 'person' | 'synthetic';

function playLink(ctx: PageContext, url: string, label: string, recordedIn: Language, kind: VoiceKind): Html {
  const missing = recordedIn !== ctx.lang;
  const said = [missing ? ctx.t('common.inFrench') : '', kind === 'synthetic' ? ctx.t('common.voiceSynthetic') : ctx.t('common.voicePerson')]
    .filter(Boolean)
    .join(', ');
  return html`<a class="play" href="${url}" data-play data-voice="${kind}" data-voice-lang="${recordedIn}" role="button" aria-label="${ctx.t('common.listenTo', { label })} (${said})">${icon(ctx, 'play')}${
    missing ? html`<span class="fb" title="${ctx.t('common.noRecording', { language: LANGUAGE_NAMES[ctx.lang] })}">${ctx.t('common.inFrench')}</span>` : ''
  }${kind === 'synthetic' ? html`<span class="fb vk">${ctx.t('common.voiceSynthetic')}</span>` : ''}</a>`;
}

/**
 * ▶ for a content text: the recording in the visitor's language when there is one, else a
 * person's French recording, else the synthetic French one — and the button says which.
 * A French recording is a person's only when it came through the studio (the pack's
 * narration is made with espeak-ng).
 */
export function play(ctx: PageContext, audio: Audio | undefined, label: string): Html {
  if (!audio) return html``;
  const own = audio[ctx.lang];
  if (own && (ctx.lang !== 'fr' || ctx.voices.isHuman(own))) return playLink(ctx, `/media/${own}`, label, ctx.lang, 'person');
  if (audio.fr) return playLink(ctx, `/media/${audio.fr}`, label, 'fr', ctx.voices.isHuman(audio.fr) ? 'person' : 'synthetic');
  return html``;
}

/**
 * ▶ for an interface sentence (section names, the welcome, the consent, an error): a
 * person's recording from the studio in the visitor's language, else a person's French one,
 * else the synthetic French file shipped with the hub.
 */
export function voice(ctx: PageContext, key: string): Html {
  const label = ctx.t(key);
  const own = ctx.messages.recording(ctx.lang, key);
  if (own) return playLink(ctx, `/media/${own}`, label, ctx.lang, 'person');
  // A person's recording shipped with the hub (static/voice/bm/…) for the visitor's language.
  if (ctx.lang !== 'fr' && ctx.assets.has(`voice/${ctx.lang}/${key}.opus`))
    return playLink(ctx, ctx.assets.url(`voice/${ctx.lang}/${key}.opus`), label, ctx.lang, 'person');
  const french = ctx.messages.recording('fr', key);
  if (french) return playLink(ctx, `/media/${french}`, label, 'fr', 'person');
  if (ctx.assets.has(`voice/fr/${key}.opus`)) return playLink(ctx, ctx.assets.url(`voice/fr/${key}.opus`), label, 'fr', 'synthetic');
  return html``;
}

/** A section title with its icon and its ▶. */
export function heading(ctx: PageContext, key: string, iconName: string, level: 1 | 2 = 1): Html {
  const inner = html`${icon(ctx, iconName, 'i hi')}<span>${ctx.t(key)}</span>`;
  return level === 1
    ? html`<div class="heading"><h1>${inner}</h1>${voice(ctx, key)}</div>`
    : html`<div class="heading"><h2>${inner}</h2>${voice(ctx, key)}</div>`;
}

export function sampleMark(ctx: PageContext, sample: boolean | undefined): Html {
  return sample ? html`<span class="tag warn">${icon(ctx, 'info', 'i sm')}${ctx.t('common.sample')}</span>` : html``;
}

/** A notice with an icon and words, never colour alone. */
export function notice(ctx: PageContext, kind: 'ok' | 'warn' | 'err' | 'info', body: Html | string, id?: string): Html {
  const iconName = kind === 'ok' ? 'check' : kind === 'err' ? 'alert' : 'info';
  return html`<div class="notice ${kind}" role="${kind === 'err' ? 'alert' : 'status'}"${id ? html` id="${id}"` : ''}>${icon(ctx, iconName)}<div>${body}</div></div>`;
}

export function slugOf(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}

/** A horizontal bar as SVG attributes (the CSP allows no inline styles); the figure is always written beside it. */
export function bar(percent: number, cls = ''): Html {
  const w = Math.max(0, Math.min(100, Math.round(percent * 10) / 10));
  return html`<svg class="bar ${cls}" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="bg" width="100" height="10"></rect><rect class="fg" width="${w}" height="10"></rect></svg>`;
}

/** A content doc's own icon: a name from our sprite, or an emoji the author chose (drawn as ours). */
export function contentIcon(ctx: PageContext, value: string | undefined, fallback: string, cls = 'i md'): Html {
  if (!value) return icon(ctx, fallback, cls);
  if (/^[a-z][a-z0-9-]*$/.test(value) && ctx.assets.hasIcon(value)) return icon(ctx, value, cls);
  const drawn = emojiToIcons(ctx, value.trim(), cls);
  return drawn.startsWith('<svg') ? raw(drawn) : icon(ctx, fallback, cls);
}
