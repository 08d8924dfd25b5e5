// Rewrites the answers reference in README.md from the schema: npm run docs
import { readFileSync, writeFileSync } from 'node:fs';
import { answersReference } from '../src/core/answers/reference.js';
import { replaceReference } from '../src/core/answers/readme.js';

const file = new URL('../README.md', import.meta.url);
writeFileSync(file, replaceReference(readFileSync(file, 'utf8'), answersReference()));
