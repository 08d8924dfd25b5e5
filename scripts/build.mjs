// Bundles the CLI into one ESM file: starts 2-2.5x faster than unbundled output
// (Ink pulls in thousands of small files) and runs without node_modules.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

await build({
  entryPoints: ['src/cli.tsx'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    'process.env.NODE_ENV': '"production"',
    __VERSION__: JSON.stringify(pkg.version),
    __EMBEDDED_TEMPLATES__: JSON.stringify(templates),
  },
  // Ink imports react-devtools-core only when DEV is set; the stub keeps it out of the bundle.
  alias: { 'react-devtools-core': './scripts/devtools-stub.mjs' },
  // Bundled CommonJS dependencies use require() and __filename (write-file-atomic names its temp
  // files after it); ESM output has neither of its own.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join(' '),
  },
});

// The launcher (bin/) prints these for a lone --version or --help; made by the bundle itself,
// so they are exactly what it would print.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
for (const [flag, name] of [['--version', 'version.txt'], ['--help', 'help.txt']]) {
  writeFileSync(new URL(`../dist/${name}`, import.meta.url), execFileSync(process.execPath, [cli, flag], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }));
}
