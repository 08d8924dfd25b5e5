// Runs a headless verb. Loaded by cli.tsx only when a verb is given, so that --version,
// --help and the wizard's first frame do not pay for the verbs' modules.
import type { Paint } from '../core/messages/paint.js';
import { applyCommand, applySavedPlan } from './apply.js';
import { checkCommand } from './check.js';
import { headlessContext } from './context.js';
import type { Verb } from './options.js';
import { planCommand } from './plan.js';
import { rollbackCommand } from './rollback.js';
import { startCommand, startFlags, statusCommand, stopCommand } from './server.js';
import { serverContext } from './server-context.js';
import { syncCommand } from './sync.js';

export async function runVerb(verb: Verb, values: Record<string, unknown>, args: string[], paint: Paint, out: (s: string) => void): Promise<number> {
  switch (verb) {
    case 'plan':
      return planCommand(await headlessContext(values), values.out as string | undefined, paint, out);
    case 'apply':
      if (values.plan !== undefined) return applySavedPlan(values.plan as string, values, paint, out);
      return applyCommand(await headlessContext(values), values.yes === true, paint, out);
    case 'check':
      return checkCommand(await headlessContext(values), paint, out);
    case 'sync': {
      const flags = { dryRun: values['dry-run'] === true, yes: values.yes === true, createKey: values['create-key'] === true };
      return syncCommand(await headlessContext(values), flags, paint, out);
    }
    case 'rollback':
      return rollbackCommand(values, args[0], paint, out);
    case 'start':
      return startCommand(await serverContext(values), startFlags(values), paint, out);
    case 'stop':
      return stopCommand(await serverContext(values), values, paint, out);
    case 'status':
      return statusCommand(await serverContext(values), paint, out);
  }
}
