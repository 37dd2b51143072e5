#!/usr/bin/env bash
# Records the French voice of the portal's interface sentences (section names, the welcome,
# the consent) with espeak-ng, as small Opus files under static/voice/fr/. Bambara and
# Soninké have no synthetic voice: their recordings must be made by people and dropped in
# static/voice/bm/ and static/voice/snk/ with the same names; until then the portal plays
# the French one and says so.
# Needs: espeak-ng, opus-tools (Debian). Run from anywhere: bash hub/portal/voice/record-interface.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../static/voice/fr"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# key → the catalog keys read out, in order.
while read -r key keys; do
  [ -z "$key" ] && continue
  text="$(node -e '
    const cat = require(process.argv[1]);
    process.stdout.write(process.argv.slice(2).map((k) => cat[k].replace(/\{[^}]+\}/g, "")).join(" "));
  ' "$here/../locales/fr.json" $keys)"
  espeak-ng -v fr+f3 -s 140 -w "$tmp/$key.wav" "$text"
  opusenc --quiet --speech --bitrate 16 --downmix-mono "$tmp/$key.wav" "$out/$key.opus"
done <<'KEYS'
nav.home nav.home
nav.learn nav.learn
nav.inform nav.inform
nav.officials nav.officials
nav.organisations nav.organisations
nav.participate nav.participate
nav.community nav.community
nav.register nav.register
nav.agenda nav.agenda
nav.offline nav.offline
home.intro home.intro
lang.title lang.title lang.intro
welcome.noInternet welcome.noInternet welcome.what
register.consent register.consent
participate.intro participate.intro
officials.write officials.write officials.private
home.announcements home.announcements
home.nextEvents home.nextEvents
home.openConsultations home.openConsultations
inform.documents inform.documents
inform.indicators inform.indicators
participate.open participate.open
participate.results participate.results
officials.answers officials.answers
KEYS
ls -l "$out"
