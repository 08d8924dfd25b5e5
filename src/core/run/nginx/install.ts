// The nginx of this machine: its binary, the paths it was built with (`nginx -V`), and where a
// site goes — Debian's sites-available/ + a link in sites-enabled/, or conf.d/ — read from the
// include lines of nginx.conf and the directories present. Paths are as on the node; files
// are read under --root.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { onDisk } from '../../node/layout.js';
import { FileKindError, readRegularFile } from '../../node/regular-file.js';
import { runProcess } from '../process.js';

/** The file name of the site the wizard owns (plus `.conf` in conf.d/). */
export const SITE_NAME = 'apim-gateway';

const SEARCH = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];

/** The nginx binary: on PATH, else where packages and source builds put it; undefined when absent. */
export function nginxBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH];
  return dirs.map((d) => join(d, 'nginx')).find((p) => existsSync(p));
}

export interface NginxBuild {
  binary?: string;
  version?: string;
  /** --prefix: relative paths in nginx.conf (pid, load_module) are relative to it. */
  prefix: string;
  /** nginx.conf as on the node (--conf-path; nginx's own default when nginx -V cannot tell). */
  confPath: string;
  /** --pid-path: used when nginx.conf has no pid directive. */
  pidPath: string;
  /** Why nginx -V could not be read (not installed). */
  problem?: string;
}

export function parseNginxV(output: string): Omit<NginxBuild, 'binary' | 'problem'> {
  const arg = (name: string) => new RegExp(`--${name}=(\\S+)`).exec(output)?.[1];
  const prefix = arg('prefix') ?? '/usr/local/nginx';
  const full = (p: string | undefined, fallback: string) => (p === undefined ? join(prefix, fallback) : p.startsWith('/') ? p : join(prefix, p));
  return {
    version: /nginx version: nginx\/(\S+)/.exec(output)?.[1],
    prefix,
    confPath: full(arg('conf-path'), 'conf/nginx.conf'),
    pidPath: full(arg('pid-path'), 'logs/nginx.pid'),
  };
}

let cached: Promise<NginxBuild> | undefined;

/** `nginx -V` of this machine (once per process). */
export function nginxBuild(): Promise<NginxBuild> {
  cached ??= (async () => {
    const binary = nginxBinary();
    // Without nginx -V: the paths of Debian's and most distributions' packages.
    const usual = { prefix: '/usr/share/nginx', confPath: '/etc/nginx/nginx.conf', pidPath: '/run/nginx.pid' };
    if (!binary) return { ...usual, problem: 'nginx is not installed (no nginx program found)' };
    const r = await runProcess(binary, ['-V'], { timeoutMs: 10_000 });
    if (!r.ok) return { binary, ...usual, problem: `${binary} -V failed: ${[...r.stderr, r.startError ?? ''].join(' ').trim()}` };
    return { binary, ...parseNginxV([...r.stdout, ...r.stderr].join('\n')) };
  })();
  return cached;
}

/** nginx.conf text without comments (a # up to the end of the line, outside quotes). */
export function stripComments(text: string): string {
  return text.replace(/("[^"\n]*"|'[^'\n]*')|#[^\n]*/g, (m, quoted: string | undefined) => quoted ?? '');
}

/** The arguments of every `include` directive, as written. */
export function includesOf(text: string): string[] {
  const out: string[] = [];
  for (const m of stripComments(text).matchAll(/(?:^|[\s;{}])include\s+("[^"]*"|'[^']*'|[^\s;]+)\s*;/g)) out.push(m[1]!.replace(/^["']|["']$/g, ''));
  return out;
}

/** Every `server_name` directive of a configuration text: its names and its 1-based line. */
export function serverNamesOf(text: string): Array<{ line: number; names: string[] }> {
  const out: Array<{ line: number; names: string[] }> = [];
  // stripComments keeps every newline, so offsets give the line numbers of the file.
  const bare = stripComments(text);
  for (const m of bare.matchAll(/(^|[\s;{}])server_name\s+([^;{}]*);/g)) {
    const line = bare.slice(0, m.index + m[1]!.length).split('\n').length;
    out.push({ line, names: m[2]!.trim().split(/\s+/).map((n) => n.replace(/^["']|["']$/g, '')).filter(Boolean) });
  }
  return out;
}

/** The main-context `pid` directive's value, if nginx.conf sets one. */
export function pidOf(text: string): string | undefined {
  const m = /(?:^|[\s;{}])pid\s+("[^"]*"|'[^']*'|[^\s;]+)\s*;/.exec(stripComments(text));
  return m?.[1]!.replace(/^["']|["']$/g, '');
}

/** An include argument as an absolute path (relative ones are relative to nginx.conf's directory). */
export function includePath(arg: string, confDir: string): string {
  return arg.startsWith('/') ? posix.normalize(arg) : posix.join(confDir, arg);
}

/** Is path inside dir (not dir itself)? */
export const within = (path: string, dir: string): boolean => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/** Does an include pattern (`/etc/nginx/sites-enabled/*`, `conf.d/*.conf`) take in `file`? */
export function includeMatches(pattern: string, file: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`).test(file) && !basename(file).startsWith('.');
}

/** Debian's layout: a site in sites-available/ is enabled by a link of the same name in sites-enabled/. */
export function siteLink(site: string): { link: string; target: string } | undefined {
  const dir = dirname(site);
  if (basename(dir) !== 'sites-available') return undefined;
  return { link: join(dirname(dir), 'sites-enabled', basename(site)), target: `../sites-available/${basename(site)}` };
}

export interface NginxLayout {
  build: NginxBuild;
  /** Where the site goes by default; undefined when nginx.conf includes neither layout. */
  site?: string;
  kind?: 'sites-enabled' | 'conf.d';
  /** Why no site path could be chosen. */
  problem?: string;
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Reads nginx.conf (under root) and picks the place of the site. */
export async function detectNginx(root?: string): Promise<NginxLayout> {
  const build = await nginxBuild();
  let confText: string | undefined;
  try {
    confText = (await readRegularFile(onDisk(root, build.confPath))).toString('utf8');
  } catch (e) {
    if (e instanceof FileKindError) return { build, problem: e.message };
  }
  if (confText === undefined) {
    return { build, problem: `${build.confPath} not found${build.problem ? ` (${build.problem})` : ''}` };
  }
  const confDir = dirname(build.confPath);
  const includes = includesOf(confText).map((i) => includePath(i, confDir));
  for (const inc of includes) {
    const dir = dirname(inc);
    if (basename(dir) === 'sites-enabled' && (await isDir(onDisk(root, join(dirname(dir), 'sites-available'))))) {
      return { build, site: join(dirname(dir), 'sites-available', SITE_NAME), kind: 'sites-enabled' };
    }
  }
  for (const inc of includes) {
    const file = join(dirname(inc), `${SITE_NAME}.conf`);
    if (basename(dirname(inc)) === 'conf.d' && includeMatches(inc, file)) return { build, site: file, kind: 'conf.d' };
  }
  return {
    build,
    problem: `${build.confPath} includes neither sites-enabled/* nor conf.d/*.conf; give nginxSite (--nginx-site) and include it`,
  };
}

/** What was detected, as answers: the default place of the site. */
export async function nginxAnswers(root?: string): Promise<{ nginxSite?: string }> {
  const layout = await detectNginx(root);
  return layout.site ? { nginxSite: layout.site } : {};
}
