// Runs a headless verb. Loaded by cli.tsx only when a verb is given, so that --version,
// --help and the wizard's first frame do not pay for the verbs' modules.
import type { Paint } from '../core/messages/paint.js';
import { applyCommand, applySavedPlan } from './apply.js';
import { checkCommand } from './check.js';
import { clusterCommand } from './cluster.js';
import { headlessContext } from './context.js';
import { DOCUMENT_VERBS, withDocument } from './node-document.js';
import type { DocumentCommand, NodeFacts } from '../core/plan/json-report.js';
import type { Verb } from './options.js';
import { planCommand } from './plan.js';
import { rollbackCommand } from './rollback.js';
import { startCommand, startFlags, statusCommand, stopCommand } from './server.js';
import { serverContext } from './server-context.js';
import { syncCommand } from './sync.js';

/** plan, apply, check: printed as text into `out`, their facts recorded for --json. */
async function documentVerb(verb: DocumentCommand, values: Record<string, unknown>, paint: Paint, out: (s: string) => void, facts?: NodeFacts): Promise<number> {
  switch (verb) {
    case 'plan':
      return planCommand(await headlessContext(values), values.out as string | undefined, paint, out, facts);
    case 'apply':
      if (values.plan !== undefined) return applySavedPlan(values.plan as string, values, paint, out, facts);
      return applyCommand(await headlessContext(values), values.yes === true, paint, out, facts);
    case 'check':
      return checkCommand(await headlessContext(values), paint, out, facts);
  }
}

const isDocumentVerb = (verb: Verb): verb is DocumentCommand => (DOCUMENT_VERBS as readonly string[]).includes(verb);

export async function runVerb(verb: Verb, values: Record<string, unknown>, args: string[], paint: Paint, out: (s: string) => void): Promise<number> {
  if (isDocumentVerb(verb)) {
    // --json: the text goes nowhere; the one document is all that is printed.
    if (values.json === true) return withDocument(verb, values, out, (facts) => documentVerb(verb, values, paint, () => {}, facts));
    return documentVerb(verb, values, paint, out);
  }
  switch (verb) {
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
    case 'cluster':
      return clusterCommand(values, args[0], paint, out);
  }
}
