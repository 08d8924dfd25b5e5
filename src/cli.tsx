// Entry point: parse the command line, choose interactive or headless, map outcomes to
// exit codes (0 done / nothing to change, 2 changes pending or no terminal, 1 error).
import { AnswersError } from './core/answers/load.js';
import { painter } from './core/report.js';
import { applyCommand } from './commands/apply.js';
import { checkCommand } from './commands/check.js';
import { headlessContext, homeFromEnvironment } from './commands/context.js';
import { rollbackCommand } from './commands/rollback.js';
import { helpText, parseCommandLine } from './commands/options.js';
import { planCommand } from './commands/plan.js';
import { syncCommand } from './commands/sync.js';
import { startCommand, startFlags, statusCommand, stopCommand } from './commands/server.js';
import { serverContext } from './commands/server-context.js';
import { VERSION } from './version.js';

const out = (s: string) => process.stdout.write(s);

function wantsColor(values: Record<string, unknown>): boolean {
  return values['no-color'] !== true && !('NO_COLOR' in process.env) && process.stdout.isTTY === true;
}

function canRunInteractive(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI;
}

async function main(argv: string[]): Promise<number> {
  const { verb, values, args } = parseCommandLine(argv);
  if (values.version) {
    out(`${VERSION}\n`);
    return 0;
  }
  if (values.help) {
    out(helpText());
    return 0;
  }
  const paint = painter(wantsColor(values));
  if (verb === 'plan') return planCommand(await headlessContext(values), paint, out);
  if (verb === 'start') return startCommand(await serverContext(values), startFlags(values), paint, out);
  if (verb === 'stop') return stopCommand(await serverContext(values), values, paint, out);
  if (verb === 'status') return statusCommand(await serverContext(values), paint, out);
  if (verb === 'apply') return applyCommand(await headlessContext(values), values.yes === true, paint, out);
  if (verb === 'check') return checkCommand(await headlessContext(values), paint, out);
  if (verb === 'sync') {
    const flags = { dryRun: values['dry-run'] === true, yes: values.yes === true, createKey: values['create-key'] === true };
    return syncCommand(await headlessContext(values), flags, paint, out);
  }
  if (verb === 'rollback') {
    const root = values.root as string | undefined;
    const home = (values.home as string | undefined) ?? (homeFromEnvironment(root).productHome as string | undefined);
    return rollbackCommand(home, root, args[0], values.list === true, paint, out);
  }
  if (!canRunInteractive()) {
    process.stderr.write(
      'The interactive wizard needs a terminal (stdin and stdout a TTY, CI unset).\n' +
        'Headless: apim-gateway-wizard plan --answers FILE, then apply --answers FILE --yes (see --help).\n',
    );
    return 2;
  }
  const { runWizard } = await import('./ui/run.js');
  return runWizard(values);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const msg = e instanceof AnswersError ? e.problems.map((p) => `error: ${p}`).join('\n') : `error: ${(e as Error).message}`;
    process.stderr.write(`${msg}\n`);
    process.exitCode = 1;
  },
);
