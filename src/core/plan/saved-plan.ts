// A saved plan (`plan --out FILE`, then `apply --plan FILE`): what was reviewed is what is
// written. The file holds the answers, what the steps made for them (a trial certificate and
// its key, hence mode 600) and a fingerprint of every file of the plan. apply builds the plan
// again from those answers, on the files as they are now, and writes only when every file is
// what the saved plan said it would be, before and after: a node changed since, or a file
// edited by hand, is refused by name. The plan is never read from the file itself, so a
// saved plan cannot make the wizard write anything its answers would not.
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod/mini';
import { checkLayer, resolveAnswers } from '../answers/load.js';
import { describeFsError } from '../messages/fserror.js';
import { ON_CONFLICT, type OnConflict } from '../edit/owned.js';
import { buildPlan, madeOf, readSnapshot, type Plan, type Snapshot } from './plan.js';

const FORMAT = 1;

const fingerprint = (b: Buffer | undefined) => (b === undefined ? null : createHash('sha256').update(b).digest('hex'));

const savedSchema = z.strictObject({
  apimGatewayWizardPlan: z.literal(FORMAT),
  version: z.string(),
  answers: z.record(z.string(), z.unknown()),
  onConflict: z.optional(z.enum(ON_CONFLICT)),
  /** Made with plan --switch-role: the role switch it shows was agreed to. */
  switchRole: z.optional(z.literal(true)),
  made: z.record(z.string(), z.string()),
  /** The API-M release the plan was made for (Gateway nodes). */
  release: z.optional(z.string()),
  files: z.record(z.string(), z.strictObject({ status: z.string(), before: z.nullable(z.string()), after: z.string() })),
});
type SavedPlan = z.infer<typeof savedSchema>;

export class SavedPlanError extends Error {}

function filesOfPlan(plan: Plan): SavedPlan['files'] {
  return Object.fromEntries(plan.changes.map((c) => [c.file, { status: c.status, before: fingerprint(c.before), after: fingerprint(c.after)! }]));
}

/**
 * The plan file is never written through a link: FILE being a symbolic link is refused, and
 * the bytes go to a new temp file beside it (O_EXCL|O_NOFOLLOW, 0600 whatever the umask)
 * renamed over FILE, so a link put there meanwhile is replaced, not followed.
 */
async function writeNoFollow(file: string, bytes: Buffer): Promise<void> {
  if ((await lstat(file).catch(() => undefined))?.isSymbolicLink()) {
    throw new SavedPlanError(`${file} is a symbolic link; plan --out never writes through a link: give the path of a file (or a new name)`);
  }
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      await fd.writeFile(bytes);
      await fd.chmod(0o600);
      await fd.sync();
    } finally {
      await fd.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const back = await readFile(file);
  if (!back.equals(bytes)) throw new SavedPlanError(`${file}: what is on disk differs from the plan written (${back.length} of ${bytes.length} bytes)`);
}

/** Writes the plan file (mode 600: a trial certificate's key may be in it). */
export async function savePlan(file: string, plan: Plan, snapshot: Snapshot, version: string, onConflict?: OnConflict, switchRole = false): Promise<void> {
  const saved: SavedPlan = {
    apimGatewayWizardPlan: FORMAT,
    version,
    answers: plan.answers as Record<string, unknown>,
    ...(onConflict ? { onConflict } : {}),
    ...(switchRole && plan.roleSwitch ? { switchRole: true as const } : {}),
    made: Object.fromEntries(madeOf(plan, snapshot)),
    ...(plan.release ? { release: plan.release.release.id } : {}),
    files: filesOfPlan(plan),
  };
  await writeNoFollow(file, Buffer.from(JSON.stringify(saved, null, 2) + '\n')).catch((e: unknown) => {
    throw e instanceof SavedPlanError ? e : new SavedPlanError(describeFsError(file, 'write the plan there', e));
  });
}

async function readSaved(file: string, version: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SavedPlanError(describeFsError(file, 'read it', e));
  }
  let parsed: SavedPlan;
  try {
    parsed = savedSchema.parse(JSON.parse(text));
  } catch {
    throw new SavedPlanError(`${file}: not a plan saved by apim-gateway-wizard plan --out`);
  }
  if (parsed.version !== version) {
    throw new SavedPlanError(`${file}: saved by apim-gateway-wizard ${parsed.version}, this is ${version}; run plan --out again`);
  }
  return parsed;
}

/**
 * The plan to apply for a saved plan file: built again from its answers and what was made for
 * them, and refused unless every file matches what was saved. Nothing is written here.
 */
export async function loadSavedPlan(file: string, root: string | undefined, version: string): Promise<Plan> {
  const saved = await readSaved(file, version);
  const answers = resolveAnswers(checkLayer(saved.answers, file));
  const plan = buildPlan(answers, await readSnapshot(answers, root, new Map(Object.entries(saved.made))), { onConflict: saved.onConflict });
  if (saved.release !== plan.release?.release.id) {
    throw new SavedPlanError(
      `${file}: made for ${saved.release ? `API-M ${saved.release}` : 'no release'}, but the node now reads as ${plan.release ? `API-M ${plan.release.release.id} (${plan.release.from})` : 'no release'}; nothing was written. Run plan --out again.`,
    );
  }
  if (plan.roleSwitch && saved.switchRole !== true) {
    throw new SavedPlanError(`${file}: role: the plan switches this node from ${plan.roleSwitch.from} to ${plan.roleSwitch.to}, which it was not made to do (plan --switch-role --out); nothing was written. Run plan --out again.`);
  }
  const now = filesOfPlan(plan);
  const differ = [...new Set([...Object.keys(saved.files), ...Object.keys(now)])].filter((f) => {
    const [a, b] = [saved.files[f], now[f]];
    return !a || !b || a.status !== b.status || a.before !== b.before || a.after !== b.after;
  });
  if (differ.length) {
    // The wizard's own bookkeeping files are named only when nothing else differs.
    const bookkeeping = new Set(plan.changes.filter((c) => c.internal).map((c) => c.file));
    const shown = differ.some((f) => !bookkeeping.has(f)) ? differ.filter((f) => !bookkeeping.has(f)) : differ;
    throw new SavedPlanError(`${file}: the node is not as it was when this plan was made (changed since: ${shown.join(', ')}); nothing was written. Run plan --out again.`);
  }
  return plan;
}
