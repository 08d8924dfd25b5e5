// The arrows of src/core, checked on the sources: the folders name the pipeline's stages, and
// each stage imports only what comes before it (answers ← steps ← plan ← apply; running never
// imports planning; nothing in core imports the screens or the command line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO } from './helpers.js';

const CORE = join(REPO, 'src/core');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every relative import of a file, as a path relative to src/ (e.g. core/plan/plan.ts). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => relative(join(REPO, 'src'), resolve(dirname(file), m[1]!)));
}

/** The stage of a core path: its first folder under core/ ('' for core/index.ts). */
const stage = (srcPath: string) => (srcPath.startsWith('core/') ? (srcPath.split('/')[1]!.includes('.') ? '' : srcPath.split('/')[1]!) : srcPath.split('/')[0]!);

/** What each folder's README says it never imports. */
const FORBIDDEN: Record<string, string[]> = {
  messages: ['answers', 'node', 'edit', 'steps', 'plan', 'apply', 'run', 'state'],
  answers: ['steps', 'plan', 'apply', 'run', 'ui', 'commands'],
  edit: ['steps', 'plan', 'apply', 'run'],
  node: ['plan', 'apply'],
  steps: ['plan', 'apply', 'ui', 'commands'],
  plan: ['apply', 'ui', 'commands'],
  run: ['plan', 'ui', 'commands'],
};

test('src/core has no loose file but its index, and every folder says what it is for', () => {
  const loose = readdirSync(CORE, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  assert.deepEqual(loose, ['index.ts']);
  for (const e of readdirSync(CORE, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const readme = readFileSync(join(CORE, e.name, 'README.md'), 'utf8');
    assert.match(readme, /^# core\/\S+\n\S.*\nMay import: /, e.name);
  }
});

test('the arrows run one way: no stage imports a later one; core imports no screen and no command', () => {
  const wrong: string[] = [];
  for (const file of sources(CORE)) {
    const from = stage(relative(join(REPO, 'src'), file));
    for (const to of importsOf(file)) {
      const target = stage(to);
      if (target === 'ui' || target === 'commands' || FORBIDDEN[from]?.includes(target)) wrong.push(`${relative(REPO, file)} imports ${to}`);
    }
  }
  assert.deepEqual(wrong, []);
});
