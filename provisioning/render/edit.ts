/**
 * Edits of files the system owns, the way Raspberry Pi OS's own tools make them (raspi-config
 * edits /etc/lightdm/lightdm.conf in place): change only our keys, keep every other line.
 * Each edit is idempotent, so a second apply finds nothing to change.
 */

/**
 * Sets `keys` in `[section]` of an ini file (GKeyFile, as lightdm reads it): replaces a key (or
 * its commented-out line), else adds it. A section may appear more than once, GKeyFile merging
 * them with the last value winning: the key is set in the last one and removed from the others.
 */
export function setIniKeys(current: string | null, section: string, keys: Record<string, string>): string {
  const lines = (current ?? '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = `[${section}]`;
  const isHeader = (l: string) => /^\s*\[.+\]\s*$/.test(l);
  /** [start, end) of every occurrence of the section, recomputed after each change. */
  const occurrences = (): [number, number][] => {
    const out: [number, number][] = [];
    lines.forEach((l, i) => {
      if (l.trim() !== header) return;
      let end = lines.findIndex((m, j) => j > i && isHeader(m));
      if (end < 0) end = lines.length;
      out.push([i, end]);
    });
    return out;
  };
  if (!occurrences().length) {
    if (lines.length && lines.at(-1)!.trim() !== '') lines.push('');
    lines.push(header);
  }
  for (const [key, value] of Object.entries(keys)) {
    const esc = key.replace(/[-.]/g, '\\$&');
    const set = new RegExp(`^\\s*${esc}\\s*=`);
    const commented = new RegExp(`^\\s*#\\s*${esc}\\s*=`);
    // Remove the key from every occurrence but the last, bottom up so indexes stay right.
    const occ = occurrences();
    for (const [start, end] of occ.slice(0, -1).reverse()) {
      for (let i = end - 1; i > start; i--) if (set.test(lines[i]!)) lines.splice(i, 1);
    }
    const [start, end] = occurrences().at(-1)!;
    let at = -1;
    for (let i = start + 1; i < end; i++) if (set.test(lines[i]!)) at = i;
    if (at < 0) for (let i = start + 1; i < end && at < 0; i++) if (commented.test(lines[i]!)) at = i;
    if (at >= 0) {
      lines[at] = `${key}=${value}`;
      for (let i = end - 1; i > start; i--) if (i !== at && set.test(lines[i]!)) lines.splice(i, 1);
    } else {
      // After the section's last non-blank line.
      let insert = end;
      while (insert > start + 1 && lines[insert - 1]!.trim() === '') insert--;
      lines.splice(insert, 0, `${key}=${value}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Adds mount options to the fstab line of a mount point (ext4 only); other lines untouched. */
export function addFstabOptions(current: string | null, mountPoint: string, options: string[]): string {
  if (current === null) return '';
  const out = current.split('\n').map((line) => {
    if (/^\s*#/.test(line) || !line.trim()) return line;
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[1] !== mountPoint || f[2] !== 'ext4') return line;
    const have = f[3]!.split(',');
    const names = new Set(have.map((o) => o.split('=')[0]));
    const missing = options.filter((o) => !names.has(o.split('=')[0]));
    if (!missing.length) return line;
    f[3] = [...have, ...missing].join(',');
    return f.join('\t');
  });
  return out.join('\n');
}
