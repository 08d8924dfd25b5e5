// A file the wizard generates (the load balancer's nginx site), edited by hand since: the review
// says EDITED and will not apply until the admin keeps or replaces the edits (Debian ucf).
// Uses the real nginx (nginx -t) on high ports, like the load balancer tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { makePlan } from '../src/core/plan/plan.js';
import { demoSandbox, tempDir } from './helpers.js';
import { answerQuestions, flat, KEY, startWizard, toQuestions, LB_ANSWERS, needsDebianNginx } from './ui-helpers.js';

const SITE = '/etc/nginx/sites-available/apim-gateway';
const skip = await needsDebianNginx();

const LB = { ...LB_ANSWERS, nginxSite: SITE };

/** A load balancer set up once, then its site edited by hand; returns the root and the answers file. */
async function editedByHand(): Promise<{ root: string; answers: string; edited: string }> {
  const root = await demoSandbox();
  await applyPlan(await makePlan(resolveAnswers(LB), root), { root });
  const site = join(root, SITE);
  const edited = (await readFile(site, 'utf8')) + '# added by hand\n';
  await writeFile(site, edited);
  const answers = join(await tempDir(), 'lb.json');
  await writeFile(answers, JSON.stringify(LB));
  return { root, answers, edited };
}

test('a hand-edited site: EDITED, no apply until k or r; k keeps the edits', { skip }, async () => {
  const { root, answers, edited } = await editedByHand();
  const w = await startWizard({ root, answers });
  await toQuestions(w);
  let f = await answerQuestions(w);
  assert.ok(f.includes('edited by hand (keep or replace?)'), f);
  assert.match(f, /EDITED +\/etc\/nginx\/sites-available\/apim-gateway/);
  assert.ok(f.includes('k keep hand edits · r replace them'));
  await w.press('a');
  assert.ok(w.frame().includes('· Review'), 'a does nothing while the choice is open');
  await w.press(KEY.down, KEY.down, KEY.down);
  f = await w.waitFor('EDITED');
  await w.press('k');
  f = await w.waitFor((x) => !x.includes('EDITED'), 'the plan with the edits kept');
  assert.ok(f.includes('Nothing to change'), f);
  await w.press('a');
  await w.waitFor('Nothing to change: no file was written.');
  assert.equal(await readFile(join(root, SITE), 'utf8'), edited);
  await w.unmount();
});

test('r replaces the hand edits with the wizard\'s site, after showing both', { skip }, async () => {
  const { root, answers } = await editedByHand();
  const w = await startWizard({ root, answers });
  await toQuestions(w);
  await answerQuestions(w);
  // The edited file's diff shows the hand edits first, then the wizard's version.
  for (let i = 0; i < 6 && !w.frame().includes('❯ EDITED'); i++) await w.press(KEY.down);
  await w.press(KEY.enter);
  const f = flat(await w.waitFor('edited by hand since the wizard wrote it'));
  assert.ok(f.includes('+# added by hand'), f);
  await w.press(KEY.esc);
  await w.press('r');
  await w.waitFor((x) => x.includes('· Review') && !x.includes('EDITED'), 'the plan replacing the edits');
  await w.press('a');
  await w.waitFor('Applied: ');
  assert.ok(!(await readFile(join(root, SITE), 'utf8')).includes('# added by hand'));
  await w.unmount();
});
