// Runs the CommonJS bundle (dist/cli.cjs) through V8's code cache. Compiling the 0.9 MB bundle
// and the functions the first screen calls is about a third of the time to the wizard's first
// frame; with the cache V8 skips both (measured: npm run bench). Node 20 has no cache for ES
// modules (module.enableCompileCache came in 22), hence CommonJS and node:vm.
//
// The cache is an optimisation only: any problem with it (no home, read-only disk, a file of
// someone else's) means the bundle is compiled as if there were none, without a message.
// Cached code is executable code, so it is only read from and written to a folder that nobody
// but this user (and root) can change, at any level of its path, and never through a link.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, parse } from 'node:path';
import vm from 'node:vm';

/** $XDG_CACHE_HOME/apim-gateway-wizard, else ~/.cache/apim-gateway-wizard; undefined when off. */
export function cacheFolder(env = process.env) {
  if (env.APIM_GATEWAY_WIZARD_NO_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME || (homedir() && join(homedir(), '.cache'));
  return base && base.startsWith('/') ? join(base, 'apim-gateway-wizard') : undefined;
}

const uid = process.getuid?.();
const mine = (st) => uid === undefined || st.uid === uid;

/** The folder itself: a real directory of this user's that only it can write. */
function privateFolder(folder) {
  const st = lstatSync(folder);
  return st.isDirectory() && mine(st) && (st.mode & 0o022) === 0;
}

/** Every folder above it: this user's or root's, and nobody else can rename things in it (or sticky, like /tmp). */
function safeAncestors(folder) {
  for (let dir = dirname(folder); ; dir = dirname(dir)) {
    const st = lstatSync(dir);
    if (!st.isDirectory() || !(mine(st) || st.uid === 0)) return false;
    if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) return false;
    if (dir === parse(dir).root) return true;
  }
}

/** The folder's real path when it can be trusted (links above it resolved first), else undefined. */
function trustedFolder(folder) {
  try {
    const real = join(realpathSync(dirname(folder)), basename(folder));
    return privateFolder(real) && safeAncestors(real) ? real : undefined;
  } catch {
    return undefined;
  }
}

function readCache(file) {
  let fd;
  try {
    const folder = trustedFolder(dirname(file));
    if (!folder) return undefined;
    fd = openSync(join(folder, basename(file)), constants.O_RDONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    return st.isFile() && mine(st) && (st.mode & 0o022) === 0 ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the cache and removes this kind's caches of other bundles or Node versions. */
function writeCache(file, kind, data) {
  let tmp;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const folder = trustedFolder(dirname(file));
    if (!folder) return;
    const name = basename(file);
    tmp = join(folder, `${name}.${process.pid}.tmp`);
    // wx: never through a link or over a file someone put there.
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, join(folder, name));
    for (const old of readdirSync(folder)) {
      if (old.startsWith(`${kind}-`) && old !== name) rmSync(join(folder, old), { force: true });
    }
  } catch {
    // Read-only or full disk, no home: the next run compiles again.
    try {
      if (tmp) rmSync(tmp, { force: true });
    } catch {
      // No folder to leave it in either.
    }
  }
}

/**
 * The cache file for this bundle: named by a hash of the bundle's bytes, since V8 itself only
 * checks the source's length (a same-size bundle of another version would run stale code).
 */
export function cacheFile(folder, kind, source) {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 32);
  return join(folder, `${kind}-${hash}-${process.version}-${process.arch}.bin`);
}

/**
 * Runs the bundle. `kind` separates the wizard's cache from the headless verbs': each holds the
 * functions its own path compiled.
 */
export function runBundle(bundle, kind, folder = cacheFolder()) {
  const source = readFileSync(bundle, 'utf8');
  const file = folder && cacheFile(folder, kind, source);
  const cachedData = file ? readCache(file) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  if (file && (!cachedData || script.cachedDataRejected)) {
    // Written once the start-up is over (the wizard's first screen is up by then) or at exit if
    // that is sooner: it then holds the functions start-up compiled, not only the top level, and
    // not everything a long session touched (all of it is loaded back on every start).
    let written = false;
    const write = () => {
      if (!written) writeCache(file, kind, script.createCachedData());
      written = true;
    };
    setTimeout(write, 1500).unref();
    process.once('exit', write);
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}
