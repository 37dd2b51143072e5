/**
 * The rooms the code cannot cross (`make lint`, run by `make test`).
 *
 * - The graph between the top rooms: content ← hub ← provisioning, content ← kiosk, and the
 *   command line (provisioning) may start the kiosk (`espace kiosk`): never hub ↔ kiosk.
 * - A room is a folder with an `index.ts`; a file outside a room imports it only through that
 *   `index.ts` (so a nested room is reached through its parent's index from outside the parent),
 *   or its `boot.ts` where it has one: a second, light entry for what start-up needs before the
 *   rest of the room loads (hub/boot.ts, hub/http/boot.ts, content/boot.ts...; loading modules is most of a start).
 *   Folders without an index belong to the room around them. Tests may reach inside any room.
 * The rooms are read from the tree each run, so a new folder with an index is checked at once.
 */
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const TOP = ['content', 'hub', 'kiosk', 'provisioning'];
const SKIP = new Set(['node_modules', 'static', 'packs', 'keys', 'types', 'templates', 'ddocs', 'profiles', 'locales']);

function roomsUnder(dir) {
  const rooms = existsSync(join(__dirname, dir, 'index.ts')) ? [dir] : [];
  for (const entry of readdirSync(join(__dirname, dir), { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIP.has(entry.name)) rooms.push(...roomsUnder(`${dir}/${entry.name}`));
  }
  return rooms;
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Which top rooms each top room may import (besides itself). */
const ALLOWED = { content: [], hub: ['content'], kiosk: ['content'], provisioning: ['content', 'hub', 'kiosk'] };

module.exports = {
  forbidden: [
    ...TOP.map((room) => ({
      name: `${room}-imports-only-${ALLOWED[room].join('-and-') || 'itself'}`,
      comment: `The graph is content ← hub ← provisioning, content ← kiosk: ${room}/ may import ${ALLOWED[room].join(' and ') || 'nothing outside itself'}.`,
      severity: 'error',
      from: { path: `^${room}/` },
      to: { path: `^(${TOP.filter((r) => r !== room && !ALLOWED[room].includes(r)).join('|')}|tests)/` },
    })),
    ...TOP.flatMap(roomsUnder).map((room) => ({
      name: `through-${room.replace(/\//g, '-')}-index`,
      comment: `Other rooms import ${room}/ only through ${room}/index.ts (or its light start-up entry ${room}/boot.ts).`,
      severity: 'error',
      from: { pathNot: [`^${escape(room)}/`, '^tests/'] },
      to: { path: `^${escape(room)}/`, pathNot: `^${escape(room)}/(index|boot)\\.ts$` },
    })),
    {
      name: 'no-circular-rooms',
      comment: 'Two top rooms never import each other.',
      severity: 'error',
      from: { path: '^(content|hub|kiosk|provisioning)/' },
      to: { circular: true, path: '^(content|hub|kiosk|provisioning)/', pathNot: '^$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|var|static)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.cts', '.js', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
