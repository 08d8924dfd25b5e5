// Finding the Java that wso2server.sh will use. The script insists on JAVA_HOME ("You must set
// the JAVA_HOME variable before running CARBON"); when it is unset but `java` is on PATH, the
// home is derived from the real path of that java and handed to the script.
import { access, constants, realpath } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import { runProcess } from '../process.js';

export interface JavaFound {
  java: string;
  /** What wso2server.sh gets as JAVA_HOME. */
  javaHome: string;
  /** true when JAVA_HOME was not set and was derived from `java` on PATH. */
  derived: boolean;
  /** e.g. 1.8.0_392; undefined when `java -version` said nothing recognisable. */
  version?: string;
  /** 8 for 1.8.x, 11 for 11.x. */
  major?: number;
  /** Said when the version is not one API-M 2.x runs on. */
  warning?: string;
}

export type JavaResult = { found: JavaFound } | { problem: string };

const executable = (path: string) => access(path, constants.X_OK).then(() => true, () => false);

async function onPath(name: string, path: string | undefined): Promise<string | undefined> {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir && (await executable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  const m = /version "([^"]+)"/.exec(output);
  if (!m) return undefined;
  const version = m[1]!;
  const parts = version.split(/[._-]/).map(Number);
  const major = parts[0] === 1 ? parts[1]! : parts[0]!;
  return Number.isFinite(major) ? { version, major } : undefined;
}

export async function findJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaResult> {
  let java: string;
  let javaHome: string;
  let derived = false;
  if (env.JAVA_HOME) {
    javaHome = env.JAVA_HOME;
    java = join(javaHome, 'bin', 'java');
    if (!(await executable(java))) return { problem: `JAVA_HOME is ${javaHome}, but ${java} is not there or not executable` };
  } else {
    const found = await onPath('java', env.PATH);
    if (!found) {
      return { problem: 'Java not found: JAVA_HOME is not set and there is no java on PATH. Install a Java 8 JDK and set JAVA_HOME (API-M 2.x runs on Java 8)' };
    }
    java = found;
    // /usr/bin/java → /etc/alternatives/java → /usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java
    javaHome = dirname(dirname(await realpath(found).catch(() => found)));
    if (basename(javaHome) === 'jre' && (await executable(join(dirname(javaHome), 'bin', 'java')))) javaHome = dirname(javaHome);
    derived = true;
  }
  const r = await runProcess(java, ['-version'], { timeoutMs: 20_000, env: { JAVA_HOME: javaHome } });
  if (r.startError) return { problem: `${java} cannot be run: ${r.startError}` };
  const parsed = parseJavaVersion([...r.stderr, ...r.stdout].join('\n'));
  const found: JavaFound = { java, javaHome, derived, version: parsed?.version, major: parsed?.major };
  if (!parsed) found.warning = `${java} -version printed no version; API-M 2.x needs Java 8`;
  else if (parsed.major !== 8 && parsed.major !== 7) {
    found.warning = `Java ${parsed.version}: API-M 2.x runs on Java 8; with Java ${parsed.major} it is likely to fail during start`;
  }
  return { found };
}
