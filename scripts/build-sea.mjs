// Optional: one Linux executable with Node.js inside, for a node that has no Node.js at all
// (npm run build:sea [OUTPUT], default dist/apim-gateway-wizard). Node's single executable
// application: the CommonJS bundle and its V8 code cache go into a copy of this `node` binary.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'postject';

const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const repo = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(repo, 'dist', 'cli.cjs');
const output = resolve(process.argv[2] ?? join(repo, 'dist', 'apim-gateway-wizard'));

if (process.platform !== 'linux') throw new Error(`build:sea makes a Linux executable; this is ${process.platform}`);
if (!readFileSync(process.execPath).includes(FUSE)) {
  throw new Error(`${process.execPath} cannot carry an application (no single-executable fuse); use an official Node.js build`);
}
if (!existsSync(bundle)) execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'agw-sea-'));
try {
  const blob = join(work, 'app.blob');
  const config = join(work, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  copyFileSync(process.execPath, output);
  await inject(output, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: FUSE });
  console.log(`${output}: Node.js ${process.version} with apim-gateway-wizard inside; copy it to the node and run it.`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
