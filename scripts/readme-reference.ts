// Rewrites the generated README sections (answers reference, verbs): npm run docs
import { readFileSync, writeFileSync } from 'node:fs';
import { answersReference } from '../src/core/answers/reference.js';
import { verbsReference } from '../src/commands/options.js';
import { replaceSection } from '../src/core/readme-sections.js';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
writeFileSync(file, replaceSection(replaceSection(readme, 'answers-reference', answersReference()), 'verbs-reference', verbsReference()));
