import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answersReference } from '../src/core/answers/reference.js';
import { clusterReference } from '../src/core/cluster/cluster-file.js';
import { verbsReference } from '../src/commands/options.js';
import { replaceSection } from '../src/core/edit/readme-sections.js';
import { releasesReference } from '../src/core/node/release-reference.js';
import { nodeDocumentReference } from '../src/core/plan/json-report.js';
import { REPO } from './helpers.js';

test('the README answers reference is the one the schema generates (npm run docs)', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  assert.equal(readme, replaceSection(readme, 'answers-reference', answersReference()));
});

test('the README verb table is the one the command-line table generates (npm run docs)', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  assert.equal(readme, replaceSection(readme, 'verbs-reference', verbsReference()));
});

test('the README per-release table is the one core/node/release.ts generates (npm run docs)', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  assert.equal(readme, replaceSection(readme, 'releases-reference', releasesReference()));
});

test('the README --json document reference is the one core/plan/json-report.ts generates (npm run docs)', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  assert.equal(readme, replaceSection(readme, 'node-document-reference', nodeDocumentReference()));
});

test('the README cluster file reference is the one core/cluster/cluster-file.ts generates (npm run docs)', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  assert.equal(readme, replaceSection(readme, 'cluster-reference', clusterReference()));
});

test('the README names the exact test command that .ci/run runs', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const ci = readFileSync(join(REPO, '.ci/run'), 'utf8');
  assert.match(readme, /\n {4}npm test\n/);
  assert.match(ci, /\nnpm test\n/);
});
