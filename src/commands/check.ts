import { makePlan, pending } from '../core/plan/plan.js';
import type { Paint } from '../core/messages/paint.js';
import { newFacts, type NodeFacts } from '../core/plan/json-report.js';
import { formatPlan } from '../core/plan/report.js';
import { refuseRoleSwitch, type Context } from './context.js';
import { knownNode } from './node-document.js';

/** Drift check: exit 0 when the node matches its answers, 2 with the drift shown as diffs (`facts`: for --json). */
export async function checkCommand(ctx: Context, paint: Paint, out: (s: string) => void, facts: NodeFacts = newFacts('check')): Promise<number> {
  knownNode(facts, ctx);
  for (const note of ctx.notes ?? []) out(paint('yellow', note) + '\n');
  facts.notes.push(...(ctx.notes ?? []));
  const plan = await makePlan(ctx.answers, ctx.root, { onConflict: ctx.plan.onConflict });
  // check compares the node with the answers of its own role; another role is a switch, not drift.
  facts.roleSwitch = plan.roleSwitch;
  refuseRoleSwitch(ctx, plan, 'plan it with plan --switch-role');
  facts.plan = plan;
  if (pending(plan).length === 0) {
    out(`The node matches its answers (${plan.changes.length} files checked).\n`);
    return 0;
  }
  out(paint('yellow', 'Drift: the node no longer matches its answers. apply would change:') + '\n');
  out(formatPlan(plan, paint));
  return 2;
}
