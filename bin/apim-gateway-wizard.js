#!/usr/bin/env node
// Answers a lone --version or --help from two small files the build writes next to the bundle,
// without compiling the bundle (1.4 MB): those must come back as fast as node itself starts.
// Everything else, and the bundle run on its own, goes through dist/cli.js.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const fast = { '--version': 'version.txt', '-v': 'version.txt', '--help': 'help.txt', '-h': 'help.txt' };
const file = args.length === 1 ? fast[args[0]] : undefined;
let text;
try {
  text = file && readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
} catch {
  text = undefined;
}
if (text) process.stdout.write(text);
else await import('../dist/cli.js');
