// Entry point: parse the command line, choose interactive or headless, map outcomes to
// exit codes (0 done / nothing to change, 2 changes pending or no terminal, 1 error).
import { AnswersError } from './core/answers/load.js';
import { safeMessage } from './core/messages/shown.js';
import { painter } from './core/messages/paint.js';
import { helpText, parseCommandLine, verbHelpText } from './commands/options.js';
import { canRunInteractive } from './commands/terminal.js';
import { VERSION } from './version.js';

const out = (s: string) => process.stdout.write(s);

function wantsColor(values: Record<string, unknown>): boolean {
  return values['no-color'] !== true && !('NO_COLOR' in process.env) && process.stdout.isTTY === true;
}

async function main(argv: string[]): Promise<number> {
  const { verb, values, args } = parseCommandLine(argv);
  if (values.version) {
    out(`${VERSION}\n`);
    return 0;
  }
  if (values.help) {
    out(verb ? verbHelpText(verb) : helpText());
    return 0;
  }
  const paint = painter(wantsColor(values));
  if (verb) {
    const { runVerb } = await import('./commands/dispatch.js');
    return runVerb(verb, values, args, paint, out);
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

/** plan, apply or check with --json: even a command line that cannot be parsed is answered by the document. */
function documentVerbOf(argv: string[]): 'plan' | 'apply' | 'check' | undefined {
  if (!argv.includes('--json')) return undefined;
  const verb = argv.find((a) => !a.startsWith('-'));
  return verb === 'plan' || verb === 'apply' || verb === 'check' ? verb : undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (e: unknown) => {
    const json = documentVerbOf(process.argv.slice(2));
    if (json) {
      const { refusedDocument } = await import('./commands/node-document.js');
      out(refusedDocument(json, e));
      process.exitCode = 1;
      return;
    }
    const msg = e instanceof AnswersError ? e.problems.map((p) => `error: ${p}`).join('\n') : `error: ${(e as Error).message}`;
    // The last guard: no value in a message reaches the terminal raw (core/messages/shown.ts).
    process.stderr.write(`${safeMessage(msg)}\n`);
    process.exitCode = 1;
  },
);
