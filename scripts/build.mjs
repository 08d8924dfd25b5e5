// Bundles the CLI into one CommonJS file, dist/cli.cjs: starts 2-2.5x faster than unbundled
// output (Ink pulls in thousands of small files) and runs without node_modules. CommonJS, not
// ESM, so that bin/ can run it through V8's code cache (Node 20 has no cache for ES modules).
import { build } from 'esbuild';
import { bundlePatches } from './bundle-patches.mjs';
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// templates/ goes inside the bundle, so that one file runs on an offline node.
function templateTree(dir, base = dir, out = {}) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) templateTree(p, base, out);
    else if (entry.isFile()) out[relative(base, p)] = { data: readFileSync(p).toString('base64'), mode: statSync(p).mode & 0o777 };
  }
  return out;
}
const templates = templateTree(fileURLToPath(new URL('../templates', import.meta.url)));

rmSync(new URL('../dist/cli.js', import.meta.url), { force: true }); // the ESM bundle of older builds
// Written beside and renamed into place: a wizard or test running the bundle meanwhile reads
// the old file or the new one, never half of one.
const atomically = (name, write) => {
  const tmp = fileURLToPath(new URL(`../dist/.${name}.${process.pid}.tmp`, import.meta.url));
  write(tmp);
  renameSync(tmp, fileURLToPath(new URL(`../dist/${name}`, import.meta.url)));
};
const bundleTmp = `dist/.cli.cjs.${process.pid}.tmp`;
await build({
  entryPoints: ['src/cli.tsx'],
  outfile: bundleTmp,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    'process.env.NODE_ENV': '"production"',
    __VERSION__: JSON.stringify(pkg.version),
    __EMBEDDED_TEMPLATES__: JSON.stringify(templates),
    // Only the from-source fallback of src/core/edit/templates.ts reads it.
    'import.meta.url': '__importMetaUrl',
  },
  plugins: [bundlePatches],
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

renameSync(bundleTmp, 'dist/cli.cjs');

// The launcher (bin/) prints these for a lone --version or --help; made by the bundle itself,
// so they are exactly what it would print.
const cli = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
for (const [flag, name] of [['--version', 'version.txt'], ['--help', 'help.txt']]) {
  const text = execFileSync(process.execPath, [cli, flag], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  atomically(name, (tmp) => writeFileSync(tmp, text));
}
