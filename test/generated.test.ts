// Generated answers: valid ones always give well-formed files and an empty second plan;
// invalid ones always give an error that names the field, and touch nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AnswersError, checkLayer, resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { canonicalHost, checkIp, sameHost } from '../src/core/answers/validators.js';
import { buildPlan, makePlan, pending, readSnapshot, type Snapshot } from '../src/core/plan/plan.js';
import { decodeText } from '../src/core/edit/textfile.js';
import { validateXml } from '../src/core/edit/xml/index.js';
import { DEMO_HOME, demoSandbox, treeState } from './helpers.js';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'org', 'example', 'local')).map(([ls, tld]) => [...ls, tld].join('.'));
// Addresses a node can have (not unspecified, broadcast, multicast or reserved).
const ip = fc.oneof(fc.ipV4(), fc.ipV6()).filter((v) => checkIp(v) === undefined);
const port = fc.integer({ min: 1, max: 65535 });

const validAnswers = fc
  .record({
    role: fc.constantFrom('manager', 'worker'),
    hostName: host,
    mgtHostName: host,
    managerIp: ip,
    workerIps: fc.uniqueArray(ip, { minLength: 1, maxLength: 4, selector: canonicalHost }),
    proxyHttpPort: port,
    proxyHttpsPort: port,
  })
  .filter((a) => !sameHost(a.hostName, a.mgtHostName) && a.proxyHttpPort !== a.proxyHttpsPort && !a.workerIps.some((w) => sameHost(w, a.managerIp)));

/** Applies a plan in memory: the snapshot the next plan would read. */
function after(snapshot: Snapshot, plan: ReturnType<typeof buildPlan>): Snapshot {
  const next = new Map(snapshot);
  for (const c of plan.changes) next.set(c.file, c.after);
  return next;
}

test('300 random valid answers: well-formed output, and the second plan is empty', async () => {
  const root = await demoSandbox();
  const snapshots = {
    manager: await readSnapshot(resolveAnswers({ role: 'manager', productHome: DEMO_HOME, hostName: 'a.b', mgtHostName: 'c.d', workerIps: ['10.0.0.1'] }), root),
    worker: await readSnapshot(resolveAnswers({ role: 'worker', productHome: DEMO_HOME, hostName: 'a.b', mgtHostName: 'c.d', managerIp: '10.0.0.1' }), root),
  };
  fc.assert(
    fc.property(validAnswers, (raw) => {
      const answers = resolveAnswers({ ...raw, productHome: DEMO_HOME });
      const snap = snapshots[answers.role as 'manager' | 'worker'];
      const plan = buildPlan(answers, snap);
      for (const c of plan.changes.filter((c) => c.format === 'xml')) {
        assert.deepEqual(validateXml(decodeText(c.after, c.file).text), { ok: true }, c.file);
      }
      const second = buildPlan(answers, after(snap, plan));
      assert.equal(pending(second).length, 0);
    }),
    { numRuns: 300 },
  );
});

const badValue: Record<string, fc.Arbitrary<unknown>> = {
  hostName: fc.constantFrom('', ' am.wso2.com', 'am..com', 'a;b.com', '$(id).com', '`id`.com', 'am\nwso2.com', 'ämter.com', 'x'.repeat(300), '"q".com', 42),
  mgtHostName: fc.constantFrom('-x.com', 'x-.com', 'a b', '<b>.com', null),
  managerIp: fc.constantFrom('10.0.0', '999.1.1.1', 'host', '10.0.0.1;rm', '', 7),
  workerIps: fc.constantFrom(['1.2.3'], 'not-a-list', [''], ['10.0.0.1', '10.0.0.1'], [1]),
  proxyHttpPort: fc.constantFrom(0, 65536, -1, 1.5, '80', '8o'),
  proxyHttpsPort: fc.constantFrom(70000, '443', true),
  productHome: fc.constantFrom('relative/path', '', '/opt/x\n', '/opt/../etc', 5),
  role: fc.constantFrom('gateway', 'Manager', '', 3),
};

test('200 invalid answers: an error naming the field, and no file touched', async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  const cases = fc.sample(
    fc.tuple(fc.constantFrom(...Object.keys(badValue)), validAnswers).chain(([key, good]) =>
      badValue[key]!.map((bad) => ({ key, answers: { ...good, productHome: DEMO_HOME, [key]: bad } })),
    ),
    200,
  );
  for (const { key, answers } of cases) {
    await assert.rejects(
      (async () => makePlan(resolveAnswers(checkLayer(answers, 'answers.json')), root))(),
      (e: Error) => e instanceof AnswersError && e.problems.some((p) => p.includes(key)),
      `${key} = ${JSON.stringify((answers as Record<string, unknown>)[key])}`,
    );
  }
  assert.deepEqual(await treeState(root), before);
});

test('a few random valid answers applied on disk: the second plan is empty', async () => {
  for (const raw of fc.sample(validAnswers, 5)) {
    const root = await demoSandbox();
    const answers = resolveAnswers({ ...raw, productHome: DEMO_HOME });
    await applyPlan(await makePlan(answers, root), { root });
    assert.equal(pending(await makePlan(answers, root)).length, 0);
  }
});
