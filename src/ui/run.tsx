// The interactive wizard's entry: called by cli.tsx only when stdin and stdout are TTYs and
// CI is unset. Reads the command line into the wizard's inputs (home, demo, answers layers),
// renders <App>, and returns its exit code.
import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import { render } from 'ink';
import { commandWords } from '../core/node/invocation.js';
import { prepareWizard } from '../core/node/session.js';
import { App } from './App.js';

/** A standalone executable (node:sea, Node 20.12+). */
const isSea = () => import('node:sea').then((m) => m.isSea(), () => false);

/** Signals that would kill the process mid-write become the same "interrupt" as Ctrl-C. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function runWizard(values: Record<string, unknown>): Promise<number> {
  const inputs = await prepareWizard(values, {
    carbonHome: process.env.CARBON_HOME || undefined,
    cwd: process.cwd(),
    userHome: homedir(),
    startedByNpm: process.env.npm_lifecycle_event === 'start',
    command: commandWords({ script: process.argv[1], execPath: process.execPath, sea: await isSea(), npmCommand: process.env.npm_command, path: process.env.PATH }),
  });
  const interrupts = new EventEmitter();
  const forward = () => interrupts.emit('interrupt');
  for (const s of SIGNALS) process.on(s, forward);
  let code = 0;
  let after: string | undefined;
  // Ctrl-C is a key in raw mode: the app decides (quit before apply, wait during apply).
  const app = render(
    <App
      inputs={inputs}
      interrupts={interrupts}
      onExit={(c, line) => {
        code = c;
        after = line;
      }}
    />,
    { exitOnCtrlC: false },
  );
  try {
    await app.waitUntilExit();
  } finally {
    for (const s of SIGNALS) process.off(s, forward);
  }
  // One physical line, after Ink's last frame: the terminal wraps it, and it is copied as one command.
  if (after) process.stdout.write(`${after}\n`);
  return code;
}
