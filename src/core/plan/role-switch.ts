// A node the saved answers say is one role, planned as another (the manager's answers carried
// to the same sandbox with --role worker): what the switch changes and what it leaves behind,
// derived from the saved answers and the files as they are, never from a list of known cases.
// The old role's contributions are planned on the new plan's result: a part the old role made
// that is still there is left behind (a file the new role never touches, the cron job, an
// element the new role does not set); a part the new plan undoes is changed.
import { resolveAnswers, type AnswersLayer } from '../answers/load.js';
import { asRole, FIELDS, ROLE_INFO, type Answers, type FieldSpec, type Role } from '../answers/schema.js';
import type { Release } from '../node/release.js';
import type { Contribution } from '../steps/contribution.js';
import { decodeText } from '../edit/textfile.js';

export interface RoleSwitch {
  from: Role;
  to: Role;
  /** The saved answers that say `from` (path on the node). */
  savedFile: string;
  /** What the switch changes of what the old role set, and the saved answers it drops. */
  changes: string[];
  /** What stays as the old role left it. */
  leaves: string[];
}

/** The role the saved answers give, when it is another than the one planned. */
export function switchedFrom(saved: AnswersLayer | undefined, to: Role): Role | undefined {
  const from = asRole(saved?.role);
  return from !== to ? from : undefined;
}

/** The saved answers resolved as their own role's (undefined: they do not resolve any more). */
export function oldAnswers(saved: AnswersLayer): Answers | undefined {
  try {
    return resolveAnswers(saved);
  } catch {
    return undefined;
  }
}

export interface SwitchInputs {
  from: Role;
  to: Role;
  savedFile: string;
  saved: AnswersLayer;
  next: Answers;
  /** The old role's contributions (none when its answers no longer resolve). */
  old: Contribution[];
  /** The new plan's contributions, by file. */
  planned: ReadonlyMap<string, Contribution[]>;
  /** A file's bytes now (null: missing; undefined: not read). */
  now: (file: string) => Buffer | null | undefined;
  /** A file's bytes after the new plan (undefined: the plan does not write it). */
  after: (file: string) => Buffer | undefined;
  release?: Release;
}

function byFile(parts: readonly Contribution[]): Map<string, Contribution[]> {
  const m = new Map<string, Contribution[]>();
  for (const c of parts) m.set(c.file, [...(m.get(c.file) ?? []), c]);
  return m;
}

/** Whether the old part is still in `text`: planning it again there would change nothing. */
function stillThere(part: Contribution, text: string): boolean {
  try {
    return part.edit(text) === text;
  } catch {
    return false;
  }
}

export function describeSwitch(i: SwitchInputs): RoleSwitch {
  const was = ROLE_INFO[i.from].title;
  const changes: string[] = [];
  const leaves: string[] = [];
  for (const [file, parts] of byFile(i.old)) {
    const bytes = i.now(file);
    if (bytes === undefined) {
      leaves.push(`${file}: could not be read; what the ${was} set there is not known`);
      continue;
    }
    if (bytes === null) continue;
    const mine = i.planned.get(file);
    if (!mine) {
      // The new role never touches this file: all of it stays (the sync script, its cron job).
      leaves.push(`${file} stays as it is: ${parts.map((p) => p.reason).join('; ')}`);
      continue;
    }
    const text = decodeText(i.after(file) ?? bytes, file).text;
    const reasons = new Set(mine.map((p) => p.reason));
    for (const p of parts) {
      if (reasons.has(p.reason)) continue; // the same setting in both roles: no switch there
      if (stillThere(p, text)) leaves.push(`${file} keeps what the ${was} set: ${p.reason}`);
      else changes.push(`${file}: ${mine.map((m) => m.reason).join('; ')} (the ${was} had: ${p.reason})`);
    }
  }
  // The saved answers are rewritten for the new role: the old role's answers it does not use go.
  const next = i.next as Record<string, unknown>;
  const dropped = (FIELDS as readonly FieldSpec[]).filter((f) => i.saved[f.key] !== undefined && next[f.key] === undefined).map((f) => f.key);
  if (dropped.length) changes.push(`the saved answers no longer keep ${dropped.join(', ')} (${i.savedFile})`);
  return { from: i.from, to: i.to, savedFile: i.savedFile, changes, leaves };
}

/** The headless refusal: names `role`, says what the switch would do, and how to go on (`howTo`: the last line's way to switch). */
export function switchRefusal(s: RoleSwitch, howTo = 'give --switch-role'): string[] {
  const [was, now] = [ROLE_INFO[s.from].title, ROLE_INFO[s.to].title];
  return [
    `role: this node is configured as ${s.from} (${was}, saved answers ${s.savedFile}); the answers ask for ${s.to} (${now}). Nothing was planned.`,
    ...s.changes.map((c) => `switching changes: ${c}`),
    ...s.leaves.map((l) => `switching leaves: ${l}`),
    `to switch this node to ${s.to}, ${howTo}; to keep it a ${s.from}, give role ${s.from} (or no --role: the saved answers are used)`,
  ];
}
