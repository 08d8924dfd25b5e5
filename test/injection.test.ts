// Shell metacharacters in every answer that reaches a generated file or a spawned command
// never execute: plan, apply (with the real nginx -t, bash -n and shellcheck of the verify
// steps) and the generated sync script run as cron runs it never create the canary file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIELDS, type FieldSpec } from '../src/core/answers/schema.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir } from './helpers.js';

const examples = {
  manager: JSON.parse(await readFile(join(REPO, 'templates/examples/manager.json'), 'utf8')),
  worker: JSON.parse(await readFile(join(REPO, 'templates/examples/worker.json'), 'utf8')),
  'load-balancer': JSON.parse(await readFile(join(REPO, 'templates/examples/load-balancer.json'), 'utf8')),
} as Record<string, Record<string, unknown>>;

function payloads(canary: string): string[] {
  const c = `touch ${canary}`;
  return [`$(${c})`, `\`${c}\``, `;${c}`, `|${c}`, `&&${c}`, `'$(${c})'`, `"; ${c}; "`, `\n${c}\n`, `$(${c}) # `, `\${IFS}$(${c})`];
}

/** A value of the field's kind with the payload inside, as close to valid as the kind allows. */
function carry(field: FieldSpec, example: unknown, payload: string): unknown {
  switch (field.kind) {
    case 'path':
      return `/opt/x${payload}`;
    case 'syncTargetList':
    case 'memberList':
    case 'ipList':
      return [`${Array.isArray(example) && example.length ? String(example[0]) : '10.0.0.1'}${payload}`];
    case 'port':
    case 'boolean':
    case 'role':
      return undefined;
    default:
      return `${typeof example === 'string' ? example : 'x'}${payload}`;
  }
}

test('metacharacters in every text-like answer never execute anywhere', async (t) => {
  const dir = await tempDir();
  const canary = join(dir, 'CANARY');
  const pristine = await demoSandbox();
  let runs = 0;
  const accepted = new Set<string>();
  for (const field of FIELDS as readonly FieldSpec[]) {
    for (const role of field.roles) {
      const base = examples[role]!;
      for (const payload of payloads(canary)) {
        const value = carry(field, base[field.key], payload);
        if (value === undefined) continue;
        const root = join(dir, 'root');
        await rm(root, { recursive: true, force: true });
        await cp(pristine, root, { recursive: true });
        const answers = join(dir, 'answers.json');
        await writeFile(answers, JSON.stringify({ ...base, [field.key]: value }));
        const applied = runCli(['apply', '--answers', answers, '--root', root, '--yes'], {}, dir);
        runs += 1;
        if (applied.code === 0) accepted.add(field.key);
        const script = join(root, DEMO_HOME, 'depsync/apim-gateway-wizard-depsync.sh');
        if (applied.code === 0 && existsSync(script)) {
          spawnSync('bash', [script], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeout: 20_000, cwd: dir });
        }
        assert.ok(!existsSync(canary), `${field.key} (${role}) = ${JSON.stringify(value)}: a shell ran the payload`);
      }
    }
  }
  assert.ok(runs > 100, `${runs} runs`);
  // Some values are legal and reach the files (XML-escaped text); the rest are refused.
  t.diagnostic(`accepted with metacharacters: ${[...accepted].join(', ') || 'none'}`);
  assert.ok(accepted.size > 0, 'no payload reached a file: the test would prove nothing');
});
