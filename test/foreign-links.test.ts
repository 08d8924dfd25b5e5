// Without --root, a link the service user plants in its home (the real `nobody` here) must not
// lead root's writes anywhere: it is refused by name at plan time, by the writer, by the
// directory reset; links no other user can change (root's, in root's folders) are followed;
// and a folder swapped for a link after the check is found by the pinned folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ForeignLinkError, pinFolder, resolveOnHost } from '../src/core/node/links.js';
import { writeFileSafely } from '../src/core/apply/write.js';
import { stateDir } from '../src/core/node/layout.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const asNobody = (script: string) => {
  const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', '-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
};

/** A product home owned by nobody inside a root-owned temp folder, and an outside file with a secret. */
async function nobodysHome() {
  const top = await tempDir();
  chmodSync(top, 0o755);
  const home = join(top, 'wso2am');
  await cp(join(await demoSandbox(), DEMO_HOME), home, { recursive: true, verbatimSymlinks: true });
  execFileSync('chown', ['-R', 'nobody:nogroup', home]);
  const outside = join(top, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'carbon.xml'), 'root-only secret\n');
  chmodSync(join(outside, 'carbon.xml'), 0o600);
  return { top, home, outside };
}

test('resolveOnHost: a link in a folder another user owns is refused by name; root\'s links in root\'s folders are followed', async () => {
  const { top, home, outside } = await nobodysHome();
  const carbon = join(home, 'repository/conf/carbon.xml');
  asNobody(`rm ${carbon} && ln -s ${outside}/carbon.xml ${carbon}`);
  assert.throws(() => resolveOnHost(carbon), (e: unknown) => {
    assert.ok(e instanceof ForeignLinkError);
    assert.match(e.message, /repository\/conf\/carbon\.xml is a symbolic link and .*repository\/conf is owned by uid \d+ \(nobody\).*does not follow/);
    return true;
  });
  // Not followed, the name itself is fine (a name to replace).
  assert.equal(resolveOnHost(carbon, false), carbon);

  // A folder on the way, planted as a link.
  const conf = join(home, 'repository/conf');
  asNobody(`mv ${conf} ${conf}.real && ln -s ${outside} ${conf}`);
  assert.throws(() => resolveOnHost(join(conf, 'carbon.xml')), /repository\/conf is a symbolic link and .* is owned by uid \d+ \(nobody\)/);

  // root's link in root's folder (/opt/wso2am → /opt/wso2am-2.1.0) is followed.
  await symlink(home, join(top, 'current'));
  assert.equal(resolveOnHost(join(top, 'current/bin')), join(home, 'bin'));

  // A shared sticky folder (/tmp-like): nobody's link is refused, root's followed.
  const shared = join(top, 'shared');
  await mkdir(shared);
  chmodSync(shared, 0o1777);
  asNobody(`ln -s ${outside}/carbon.xml ${shared}/theirs`);
  await symlink(join(outside, 'carbon.xml'), join(shared, 'ours'));
  assert.throws(() => resolveOnHost(join(shared, 'theirs')), /theirs is a symbolic link and it belongs to nobody in the shared folder/);
  assert.equal(resolveOnHost(join(shared, 'ours')), join(outside, 'carbon.xml'));
});

test('the writer refuses a planted folder link and never writes outside; a folder swapped after the check is found when pinned', async () => {
  const { home, outside } = await nobodysHome();
  const conf = join(home, 'repository/conf');
  const before = await treeState(outside);
  asNobody(`mv ${conf} ${conf}.real && ln -s ${outside} ${conf}`);
  await assert.rejects(writeFileSafely(join(conf, 'carbon.xml'), Buffer.from('<new/>')), ForeignLinkError);
  assert.deepEqual(await treeState(outside), before);

  // The race: the check saw a real folder, then the owner renamed it and put a link in its
  // place before root opened it. The opened folder's real path is not the checked one.
  const tomcat = join(home, 'repository/conf.real/tomcat');
  assert.equal(resolveOnHost(join(tomcat, 'catalina-server.xml')), join(tomcat, 'catalina-server.xml'));
  asNobody(`mv ${tomcat} ${tomcat}.real && ln -s ${outside} ${tomcat}`);
  await assert.rejects(pinFolder(tomcat), /tomcat was replaced while the wizard wrote into it \(it now leads to .*outside\): nothing was written there/);
  assert.deepEqual(await treeState(outside), before);

  // A real folder pins, and names inside it resolve through the descriptor.
  const real = await pinFolder(`${tomcat}.real`);
  try {
    assert.ok((await readFile(real.at('catalina-server.xml'), 'utf8')).includes('<Server'));
  } finally {
    await real.handle.close();
  }
});

test('plan without --root refuses a link the home\'s owner planted at carbon.xml, naming it; nothing is read through it or written', async () => {
  const { home, outside } = await nobodysHome();
  const carbon = join(home, 'repository/conf/carbon.xml');
  asNobody(`rm ${carbon} && ln -s ${outside}/carbon.xml ${carbon}`);
  const answers = { ...JSON.parse(await readFile(join(REPO, 'templates/examples/worker.json'), 'utf8')), productHome: home };
  const file = join(outside, '..', 'answers.json');
  await writeFile(file, JSON.stringify(answers));
  const before = await treeState(outside);
  const state = stateDir(home);
  const hadBase = existsSync('/var/lib/apim-gateway-wizard');
  try {
    for (const verb of ['plan', 'apply']) {
      const r = runCli([verb, '--answers', file, ...(verb === 'apply' ? ['--yes'] : [])]);
      assert.equal(r.code, 1, `${verb}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /carbon\.xml is a symbolic link and .* is owned by uid \d+ \(nobody\)/, verb);
      assert.doesNotMatch(r.stdout + r.stderr, /root-only secret/, verb);
      assert.deepEqual(await treeState(outside), before, verb);
    }
  } finally {
    // The CLI made this node's root-only state folder on this machine: remove what it made.
    await rm(state, { recursive: true, force: true });
    if (!hadBase) await rm('/var/lib/apim-gateway-wizard', { recursive: true, force: true });
  }
});
