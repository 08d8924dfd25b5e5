// The arrows of src/core, checked on the sources: the folders name the pipeline's stages, and
// no folder imports what its README says it never imports (answers ← steps ← plan ← apply;
// running never imports planning); nothing in core imports the screens or the command line.
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

const STAGES = readdirSync(CORE, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

/** What a folder's README says it never imports: "Never a, b or c." (or "nothing else in core"). */
function forbiddenBy(folder: string): string[] {
  const readme = readFileSync(join(CORE, folder, 'README.md'), 'utf8');
  if (/May import: nothing else in core/.test(readme)) return STAGES.filter((s) => s !== folder);
  const never = /Never ([^.]+)\./.exec(readme)?.[1];
  return never ? never.split(/,\s*|\s+or\s+/).map((s) => s.trim()) : [];
}

test('src/core has no loose file but its index, and every folder says what it is for', () => {
  const loose = readdirSync(CORE, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  assert.deepEqual(loose, ['index.ts']);
  for (const e of readdirSync(CORE, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const readme = readFileSync(join(CORE, e.name, 'README.md'), 'utf8');
    assert.match(readme, /^# core\/\S+\n\S.*\nMay import: /, e.name);
  }
});

test('the arrows run one way: no folder imports what its README forbids; core imports no screen and no command', () => {
  const forbidden = Object.fromEntries(STAGES.map((s) => [s, forbiddenBy(s)]));
  // The README rules the issue asks for are there (a README cannot drop them silently).
  for (const [folder, never] of [['answers', ['steps', 'plan', 'apply', 'run']], ['steps', ['plan', 'apply']], ['plan', ['apply']], ['run', ['plan']]] as const) {
    for (const n of never) assert.ok(forbidden[folder]!.includes(n), `${folder}/README.md must say it never imports ${n}`);
  }
  const wrong: string[] = [];
  for (const file of sources(CORE)) {
    const from = stage(relative(join(REPO, 'src'), file));
    for (const to of importsOf(file)) {
      const target = stage(to);
      if (target === 'ui' || target === 'commands' || forbidden[from]?.includes(target)) wrong.push(`${relative(REPO, file)} imports ${to}`);
    }
  }
  assert.deepEqual(wrong, []);
});
