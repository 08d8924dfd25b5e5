// Plain-text rendering of a plan for the headless verbs: summary first, then each file
// with its status and reason, warnings, then the unified diffs (coloured when asked).
import { ROLE_INFO } from '../answers/schema.js';
import { maskSecrets } from './diff.js';
import { listed, type Plan } from './plan.js';
import type { RoleSwitch } from './role-switch.js';
import { releaseLines } from '../node/release.js';
import type { Paint } from '../messages/paint.js';


export function colorDiffLine(line: string, paint: Paint): string {
  if (line.startsWith('+++') || line.startsWith('---')) return paint('bold', line);
  if (line.startsWith('+')) return paint('green', line);
  if (line.startsWith('-')) return paint('red', line);
  if (line.startsWith('@@')) return paint('cyan', line);
  return line;
}

/** jsdiff's patch lines, coloured, secrets masked, without its "=====" separator line. */
export function diffLines(diff: string, paint: Paint): string[] {
  return diff
    .split('\n')
    .filter((line) => !/^=+$/.test(line))
    .map((line) => colorDiffLine(maskSecrets(line.replace(/\r$/, '')), paint));
}

/** What a role switch changes and leaves, as the plan prints it (the interactive confirm screen shows the same facts). */
export function switchLines(s: RoleSwitch): string[] {
  return [
    `role switch: ${ROLE_INFO[s.from].title} → ${ROLE_INFO[s.to].title} (the saved answers ${s.savedFile} say ${s.from})`,
    ...s.changes.map((c) => `  changes: ${c}`),
    ...s.leaves.map((l) => `  leaves:  ${l}`),
  ];
}

const STATUS_WORD = { change: 'change   ', create: 'create   ', unchanged: 'unchanged', conflict: 'EDITED   ' } as const;

export function formatPlan(plan: Plan, paint: Paint): string {
  const role = ROLE_INFO[plan.answers.role].title;
  const where = plan.answers.productHome ? ` (${plan.answers.productHome})` : '';
  const out: string[] = [paint('bold', `Plan for this ${role}${where}`), plan.summary, ''];
  const gateway = plan.answers.role === 'manager' || plan.answers.role === 'worker' ? plan.answers.role : undefined;
  if (plan.release && gateway) out.push(...releaseLines(plan.release, gateway).map((l) => `  ${l}`), '');
  const files = listed(plan);
  for (const c of files) {
    const word = STATUS_WORD[c.status];
    const coloured = c.status === 'unchanged' ? paint('dim', word) : paint('yellow', word);
    out.push(`  ${coloured} ${c.file}`);
    out.push(paint('dim', `            ${c.reasons.join('; ')}`));
  }
  // Directories apply moves whole into its backup and replaces by new ones.
  for (const r of plan.resets ?? []) {
    out.push(`  ${paint('yellow', 'reset    ')} ${r.dir}`);
    out.push(paint('dim', `            ${r.reason}`));
  }
  // The saved answers are part of the plan: one line per changed key.
  for (const line of plan.answersChanges ?? []) out.push(`  ${paint('yellow', 'answers:')} ${line}`);
  if (plan.roleSwitch) out.push('', ...switchLines(plan.roleSwitch).map((l) => paint('yellow', l)));
  if (plan.warnings.length) {
    out.push('');
    for (const w of plan.warnings) out.push(paint('yellow', `warning: ${w}`));
  }
  for (const c of files) {
    if (c.localEdits) {
      out.push('', paint('yellow', `Edited by hand since the wizard wrote ${c.file}:`));
      out.push(...diffLines(c.localEdits, paint));
    }
    if (!c.diff) continue;
    out.push('');
    if (c.localEdits) out.push(paint('yellow', `The wizard's version (--on-conflict replace):`));
    out.push(...diffLines(c.diff, paint));
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
