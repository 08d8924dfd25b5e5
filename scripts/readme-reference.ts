// Rewrites the generated README sections (see core/edit/readme-sections.ts): npm run docs
import { readFileSync, writeFileSync } from 'node:fs';
import { answersReference } from '../src/core/answers/reference.js';
import { clusterReference } from '../src/core/cluster/cluster-file.js';
import { verbsReference } from '../src/commands/options.js';
import { replaceSection } from '../src/core/edit/readme-sections.js';
import { releasesReference } from '../src/core/node/release-reference.js';
import { nodeDocumentReference } from '../src/core/plan/json-report.js';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
let text = replaceSection(readme, 'answers-reference', answersReference());
text = replaceSection(text, 'verbs-reference', verbsReference());
text = replaceSection(text, 'releases-reference', releasesReference());
text = replaceSection(text, 'node-document-reference', nodeDocumentReference());
text = replaceSection(text, 'cluster-reference', clusterReference());
writeFileSync(file, text);
