#!/usr/bin/env node
// Answers a lone --version or --help from two small files the build writes next to the bundle,
// without compiling the bundle: those must come back as fast as node itself starts.
// Everything else runs the bundle, dist/cli.cjs, through V8's code cache (run-bundle.js).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const fast = { '--version': 'version.txt', '-v': 'version.txt', '--help': 'help.txt', '-h': 'help.txt' };
const file = args.length === 1 ? fast[args[0]] : undefined;
let text;
try {
  text = file && readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
} catch {
  text = undefined;
}
if (text) {
  process.stdout.write(text);
} else {
  const { runBundle } = await import('./run-bundle.js');
  // The wizard (no verb) and the headless verbs compile different functions: one cache each.
  const kind = args[0] && !args[0].startsWith('-') ? 'verb' : 'wizard';
  runBundle(fileURLToPath(new URL('../dist/cli.cjs', import.meta.url)), kind);
}
