#!/usr/bin/env bash
# Regenerates the French narration of the pack from script.txt, with espeak-ng and opusenc
# (Debian packages espeak-ng and opus-tools). No Bambara or Soninké voice exists: those
# recordings must be made by people and are left missing on purpose.
# Usage: bash narration/generate.sh [name…]   (from the pack folder; no name = every line)
set -euo pipefail
cd "$(dirname "$0")/.."
out=media/audio
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# French text of a lesson made speakable: its first text block (`fr: |` in the front matter),
# or else its Markdown body; no headings, emphasis, emoji or Bambara words in italics (a
# French voice would mispronounce them).
lesson_text() {
  if grep -q '^      fr: |$' "$1"; then
    perl -ne 'if ($f) { last if /^ {0,7}\S/; s/^ {8}//; print } $f = 1 if /^      fr: \|\s*$/' "$1"
  else
    awk 'BEGIN{n=0} /^---$/ && n<2 {n++; next} n>=2' "$1"
  fi
}
speakable_body() {
  lesson_text "$1" |
    sed -E -e 's/^- \*\*[0-9]\*\* ([^ ]+).*/\1./' \
      -e 's/ — \*[^*]+\*//g; s/, \*[^*]+\*//g' \
      -e 's/^#+ (.*)$/\1./; s/^- //; s/\*\*//g; s/\*//g; s/^> //'
}

# Spellings espeak-ng reads better.
speakable() {
  sed -E -e 's/PDESC/P D E S C/g; s/ANICT/A N I C T/g; s/CSCom|CSCOM/C S Com/g; s/n°/numéro /g' \
    -e 's/dɔrɔmɛ/doromè/g; s/([0-9]) F\b/\1 francs/g; s/([0-9]+) h ([0-9]+)/\1 heures \2/g; s/([0-9]+) h\b/\1 heures/g' \
    -e 's/[📞🎤🔊]//g'
}

grep -v '^#' narration/script.txt | while IFS='|' read -r name text; do
  [ -n "$name" ] || continue
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  if [[ "$text" == @* ]]; then speakable_body "${text#@}" > "$tmp/in.txt"; else printf '%s\n' "$text" > "$tmp/in.txt"; fi
  speakable < "$tmp/in.txt" > "$tmp/say.txt"
  espeak-ng -v fr -s 150 -f "$tmp/say.txt" -w "$tmp/say.wav"
  # A fixed serial keeps the bytes (so the sha256) stable when nothing changed.
  opusenc --quiet --speech --bitrate 16 --serial 1 "$tmp/say.wav" "$out/$name.opus"
done
du -sh "$out"
