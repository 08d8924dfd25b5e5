// `nginx -t` of the whole configuration as it will be, before anything is written: the
// configuration directory is copied to a temp directory with the plan's new files laid over
// it, symbolic links resolved (as on the node, under --root), and the paths nginx reads
// (include, ssl_certificate…, pid) rewritten in place so that no line moves. nginx's
// messages are mapped back to the paths the admin knows, with the same line numbers.
// The stage holds a copy of the TLS key: it is 0700 with every file 0600 whatever the umask,
// and its name carries the pid of its process, so that one left by a killed run is removed by
// the next (only when owned by the same user and that process is gone).
import { chmod, lstat, mkdir, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { faultPoint } from '../../apply/faults.js';
import { onDisk, onDiskNoFollow } from '../../node/layout.js';
import { readRegularFile } from '../../node/regular-file.js';
import { makePrivateTemp, removeStaleTemps } from '../private-temp.js';
import { runProcess } from '../process.js';
import { includePath, nginxBuild, pidOf, within } from './install.js';

export class NginxTestError extends Error {}

export interface OverlayFile {
  bytes: Buffer;
  /** bytes is the target of a symbolic link. */
  link?: boolean;
}

export interface StageOptions {
  root?: string;
  /** nginx.conf as on the node. */
  confPath: string;
  /** New files by path on the node, laid over what is on disk. */
  overlay?: ReadonlyMap<string, OverlayFile>;
  /** The staged configuration's pid file (default: in the stage directory). */
  pidFile?: string;
}

export interface Staged {
  dir: string;
  /** The staged nginx.conf, for `nginx -c`. */
  conf: string;
  /** Every include pattern of the configuration, as absolute paths on the node. */
  includes: string[];
  /** The text of every file of nginx.conf's directory, as nginx reads it, by path on the node (links not resolved). */
  files: ReadonlyMap<string, string>;
  /** Replaces staged paths in nginx's messages by the paths on the node. */
  toNode(text: string): string;
  cleanup(): Promise<void>;
}

const FILE_DIRECTIVES = [
  'include', 'pid', 'auth_basic_user_file',
  'ssl_certificate', 'ssl_certificate_key', 'ssl_trusted_certificate', 'ssl_client_certificate', 'ssl_dhparam',
  'ssl_password_file', 'ssl_crl', 'ssl_stapling_file', 'ssl_session_ticket_key',
  'proxy_ssl_certificate', 'proxy_ssl_certificate_key', 'proxy_ssl_trusted_certificate', 'proxy_ssl_crl', 'proxy_ssl_password_file',
];
const DIRECTIVE = new RegExp(`(^|[\\s;{}])(${FILE_DIRECTIVES.join('|')})(\\s+)("[^"\\n]*"|'[^'\\n]*'|[^\\s;'"{}]+)`, 'g');
const MAX_LINKS = 16;

type Node = { kind: 'file'; bytes: Buffer; real: string } | { kind: 'dir'; real: string } | { kind: 'missing'; real: string };

const STAGE_PREFIX = 'apim-gateway-nginx-';

/** Stage directories left by killed runs of this user, removed (see core/run/private-temp.ts). */
export const removeStaleStages = (dir?: string): Promise<string[]> => removeStaleTemps(STAGE_PREFIX, dir);

/** A file of the stage: created new, 0600 whatever the umask (it may be the TLS key). */
async function writeStaged(path: string, bytes: Buffer): Promise<void> {
  await writeFile(path, bytes, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}

/** A directory of the stage, 0700 (mkdir's mode is narrowed by the umask, never widened). */
async function mkdirStaged(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
}


export async function stageNginx(opts: StageOptions): Promise<Staged> {
  const overlay = opts.overlay ?? new Map<string, OverlayFile>();
  const confDir = dirname(opts.confPath);
  const dir = await makePrivateTemp(STAGE_PREFIX);
  const stagedConfDir = join(dir, 'conf');
  const pairs: Array<[string, string]> = [];
  const includes: string[] = [];
  const files = new Map<string, string>();

  /** A path on the node as nginx would open it: the overlay first, then the disk under root; links followed. */
  async function resolve(path: string, depth = 0): Promise<Node> {
    if (depth > MAX_LINKS) return { kind: 'missing', real: path };
    const o = overlay.get(path);
    if (o) return o.link ? resolve(posix.resolve(dirname(path), o.bytes.toString()), depth + 1) : { kind: 'file', bytes: o.bytes, real: path };
    // Each link is taken one step at a time here (to know the path as on the node), so only the folders above are resolved.
    const st = await lstat(onDiskNoFollow(opts.root, path)).catch(() => undefined);
    if (!st) return { kind: 'missing', real: path };
    if (st.isSymbolicLink()) return resolve(posix.resolve(dirname(path), await readlink(onDiskNoFollow(opts.root, path))), depth + 1);
    if (st.isDirectory()) return { kind: 'dir', real: path };
    // A FIFO or a device among nginx's files is refused, naming it, instead of hanging the copy.
    return { kind: 'file', bytes: await readRegularFile(onDisk(opts.root, path)), real: path };
  }

  async function entries(nodeDir: string, real: string): Promise<string[]> {
    const names = new Set(await readdir(onDisk(opts.root, real)).catch(() => [] as string[]));
    for (const p of overlay.keys()) if (dirname(p) === nodeDir) names.add(posix.basename(p));
    return [...names].sort();
  }

  function mapArg(arg: string, staged: (p: string) => string): string {
    if (!arg.startsWith('/')) return arg;
    const p = posix.normalize(arg);
    if (p === confDir || within(p, confDir)) return join(stagedConfDir, posix.relative(confDir, p));
    if (overlay.has(p)) return staged(p);
    return onDisk(opts.root, p);
  }

  const outside: string[] = [];
  const stagedOutside = (p: string) => {
    outside.push(p);
    return join(dir, 'files', p);
  };

  function rewrite(text: string, main: boolean): string {
    let sawPid = false;
    const out = text.replace(DIRECTIVE, (_m, lead: string, name: string, space: string, raw: string) => {
      const quote = /^["']/.test(raw) ? raw[0]! : '';
      const arg = quote ? raw.slice(1, -1) : raw;
      if (name === 'include') includes.push(includePath(arg, confDir));
      let value: string;
      if (name === 'pid') {
        sawPid = true;
        value = opts.pidFile ?? join(dir, 'nginx.pid');
      } else value = mapArg(arg, stagedOutside);
      return `${lead}${name}${space}${quote}${value}${quote}`;
    });
    // No pid directive: one goes at the start of the first line, so that no line moves.
    return main && !sawPid && opts.pidFile ? `pid ${opts.pidFile}; ${out}` : out;
  }

  const copied = new Set<string>();

  async function copyFile(path: string, node: Node): Promise<void> {
    const staged = join(stagedConfDir, posix.relative(confDir, path));
    copied.add(path);
    await mkdirStaged(dirname(staged));
    pairs.push([staged, node.real]);
    if (node.kind === 'missing') {
      // A dangling link: nginx says so, about the path the admin knows.
      await symlink(join(dir, 'missing', posix.relative(confDir, path)), staged);
      return;
    }
    if (node.kind !== 'file') return;
    files.set(path, node.bytes.toString('latin1'));
    await writeStaged(staged, Buffer.from(rewrite(node.bytes.toString('latin1'), path === opts.confPath), 'latin1'));
  }

  async function copyTree(nodeDir: string, real: string, depth: number): Promise<void> {
    for (const name of await entries(nodeDir, real)) {
      const path = posix.join(nodeDir, name);
      const node = await resolve(path);
      if (node.kind !== 'dir') await copyFile(path, node);
      else if (depth < MAX_LINKS) await copyTree(path, node.real, depth + 1);
    }
  }

  try {
    await chmod(dir, 0o700);
    await mkdirStaged(stagedConfDir);
    await copyTree(confDir, confDir, 0);
    // New files in directories that do not exist yet (ssl/ for a trial certificate).
    for (const path of overlay.keys()) if (within(path, confDir) && !copied.has(path)) await copyFile(path, await resolve(path));
    for (const p of outside) {
      const node = await resolve(p);
      if (node.kind !== 'file') continue;
      const staged = join(dir, 'files', p);
      await mkdirStaged(dirname(staged));
      await writeStaged(staged, node.bytes);
      pairs.push([staged, node.real]);
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  pairs.push([stagedConfDir, confDir]);
  if (opts.root) pairs.push([opts.root.replace(/\/+$/, ''), '']);
  pairs.sort((a, b) => b[0].length - a[0].length);
  return {
    dir,
    conf: join(stagedConfDir, posix.relative(confDir, opts.confPath)),
    includes,
    files,
    toNode: (text) => pairs.reduce((t, [staged, node]) => t.split(staged).join(node), text),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Arguments that send nginx's first messages to a file of the stage (nginx ≥ 1.19.5 has -e). */
export function errorLogArgs(version: string | undefined, dir: string): string[] {
  const [a = 0, b = 0, c = 0] = (version ?? '0').split('.').map(Number);
  return a * 1e6 + b * 1e3 + c >= 1_019_005 ? ['-e', join(dir, 'error.log')] : [];
}

const VERDICT = /syntax is ok|test failed|test is successful/;

/**
 * Runs `nginx -t` on a staged configuration. Resolves with nginx's warnings when it accepts it
 * (`[warn] conflicting server name …`); otherwise throws nginx's own messages. Either way with
 * the file and line on the node.
 */
export async function testStaged(staged: Staged): Promise<string[]> {
  const build = await nginxBuild();
  if (!build.binary) throw new NginxTestError(`cannot test the configuration: ${build.problem}`);
  // A kill here leaves the stage (with its key copy) behind: the next run removes it.
  await faultPoint('nginx -t on the staged configuration');
  const r = await runProcess(build.binary, ['-t', '-c', staged.conf, ...errorLogArgs(build.version, staged.dir)], { timeoutMs: 30_000 });
  const lines = [...r.stdout, ...r.stderr].filter((l) => l.trim() && !VERDICT.test(l)).map((l) => staged.toNode(l));
  if (r.ok) return lines;
  throw new NginxTestError((lines.length ? lines : [r.startError ?? `nginx -t exited with ${r.exitCode ?? r.signal}`]).join('\n'));
}

export interface NginxTestResult {
  includes: Staged['includes'];
  files: Staged['files'];
  /** What nginx -t warned about, on the node's paths. */
  warnings: string[];
}

/** Stages the configuration, tests it, cleans up. */
export async function testNginxConfig(opts: StageOptions): Promise<NginxTestResult> {
  const staged = await stageNginx(opts);
  try {
    const warnings = await testStaged(staged);
    return { includes: staged.includes, files: staged.files, warnings };
  } finally {
    await staged.cleanup();
  }
}

/** The pid file nginx.conf names (as on the node), else the one nginx was built with. */
export async function pidFileOf(confPath: string, root?: string): Promise<string> {
  const text = await readRegularFile(onDisk(root, confPath)).then((b) => b.toString('utf8'), () => '');
  const pid = pidOf(text);
  const build = await nginxBuild();
  if (pid) return pid.startsWith('/') ? pid : posix.join(build.prefix, pid);
  return build.pidPath;
}
