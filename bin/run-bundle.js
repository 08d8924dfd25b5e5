// Runs the CommonJS bundle (dist/cli.cjs) through V8's code cache. Compiling the 0.9 MB bundle
// and the functions the first screen calls is about a third of the time to the wizard's first
// frame; with the cache V8 skips both (measured: npm run bench). Node 20 has no cache for ES
// modules (module.enableCompileCache came in 22), hence CommonJS and node:vm.
//
// The cache is an optimisation only: any problem with it (no home, read-only disk, a file of
// someone else's) means the bundle is compiled as if there were none, without a message.
// It lives in the user's own cache folder, never in a shared one: cached code is executable code.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** $XDG_CACHE_HOME/apim-gateway-wizard, else ~/.cache/apim-gateway-wizard; undefined when off. */
export function cacheFolder(env = process.env) {
  if (env.APIM_GATEWAY_WIZARD_NO_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME || (homedir() && join(homedir(), '.cache'));
  return base ? join(base, 'apim-gateway-wizard') : undefined;
}

/** Only a file and folder of this user that nobody else can write are trusted. */
function ownedAndPrivate(st) {
  const uid = process.getuid?.();
  return (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
}

function readCache(file) {
  let fd;
  try {
    if (!ownedAndPrivate(statSync(dirname(file)))) return undefined;
    fd = openSync(file, 'r');
    return ownedAndPrivate(fstatSync(fd)) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the cache and removes this kind's caches of other bundles or Node versions. */
function writeCache(file, kind, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const folder = dirname(file);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!ownedAndPrivate(statSync(folder))) return;
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
    for (const old of readdirSync(folder)) {
      if (old.startsWith(`${kind}-`) && join(folder, old) !== file) rmSync(join(folder, old), { force: true });
    }
  } catch {
    // Read-only or full disk, no home: the next run compiles again.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // No folder to leave it in either.
    }
  }
}

/**
 * Runs the bundle. `kind` separates the wizard's cache from the headless verbs': each holds the
 * functions its own path compiled.
 */
export function runBundle(bundle, kind, folder = cacheFolder()) {
  const source = readFileSync(bundle, 'utf8');
  const st = statSync(bundle);
  // V8 rejects a cache made by another V8 or for other source; the name only keeps versions apart.
  const file = folder && join(folder, `${kind}-${st.size}-${Math.trunc(st.mtimeMs)}-${process.version}-${process.arch}.bin`);
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
