// How this wizard was started, so that a command it prints runs as printed: the installed name
// when that is what the shell found on the PATH, `npx apim-gateway-wizard` under npx, the
// standalone executable by its path, else `node <the script>` (npm start, node bin/…, a bundle
// copied to a node), with an absolute path so it works from any directory.
import { basename, dirname, delimiter, resolve } from 'node:path';

export const COMMAND_NAME = 'apim-gateway-wizard';

export interface StartedAs {
  /** process.argv[1]: the script node ran (absolute), or the executable for a standalone one. */
  script?: string;
  execPath: string;
  /** A standalone executable (node:sea). */
  sea: boolean;
  /** npm_command: "exec" under npx. */
  npmCommand?: string;
  /** PATH. */
  path?: string;
}

const onPath = (dir: string, path: string | undefined) => (path ?? '').split(delimiter).some((d) => d && resolve(d) === resolve(dir));

/** The words that start the wizard again the way it was started now. */
export function commandWords(s: StartedAs): string[] {
  if (s.npmCommand === 'exec') return ['npx', COMMAND_NAME];
  const program = s.sea ? s.execPath : s.script;
  if (!program) return [COMMAND_NAME];
  // The installed command (npm -g, a package's bin link): the shell finds it by name.
  if (basename(program) === COMMAND_NAME && onPath(dirname(program), s.path)) return [COMMAND_NAME];
  return s.sea ? [resolve(program)] : ['node', resolve(program)];
}
