// `cluster init`: the cluster file written from the topology given once, through the real CLI;
// bad input names the flag or the node and key, and writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, lstat, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileExistsError, writeFileSafely } from '../src/core/apply/write.js';
import { runCli, tempDir } from './helpers.js';

const NODES = ['--node', 'manager=manager@192.0.2.10', '--node', 'worker-1=worker@192.0.2.21', '--node', 'worker-2=worker@192.0.2.22', '--node', 'lb=load-balancer@192.0.2.5'];
const SHARED = ['--home', '/opt/wso2am-2.1.0', '--host-name', 'am.example.com', '--mgt-host-name', 'mgt.am.example.com', '--hazelcast', 'true', '--self-signed-certificate', 'true'];

interface Host {
  apim_role: string;
  apim_answers: Record<string, unknown>;
}

function hostsOf(inventory: { all: { children: Record<string, { hosts: Record<string, Host> }> } }): Record<string, Host> {
  return Object.assign({}, ...Object.values(inventory.all.children).map((g) => g.hosts));
}

test('cluster init writes the cluster file of 1 manager + 2 workers + 1 load balancer, and every node derives its answers from it', async () => {
  const dir = await tempDir();
  const file = join(dir, 'cluster.json');
  const r = runCli(['cluster', 'init', '--cluster', file, ...NODES, ...SHARED]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Wrote .*cluster\.json: manager \(manager, 192\.0\.2\.10\), worker-1 \(worker, 192\.0\.2\.21\), worker-2 \(worker, 192\.0\.2\.22\), lb \(load-balancer, 192\.0\.2\.5\)\.\n/);
  assert.match(r.stdout, /cluster check --cluster .*cluster\.json\n$/);
  const home = '/opt/wso2am-2.1.0';
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {
    cluster: 1,
    shared: { hostName: 'am.example.com', mgtHostName: 'mgt.am.example.com', selfSignedCertificate: true, hazelcast: true },
    nodes: [
      { name: 'manager', role: 'manager', address: '192.0.2.10', productHome: home },
      { name: 'worker-1', role: 'worker', address: '192.0.2.21', productHome: home },
      { name: 'worker-2', role: 'worker', address: '192.0.2.22', productHome: home },
      { name: 'lb', role: 'load-balancer', address: '192.0.2.5' },
    ],
  });
  assert.equal((await stat(file)).mode & 0o777, 0o644);
  assert.deepEqual(await readdir(dir), ['cluster.json'], 'no temp file left beside it');

  // What `cluster check` and `cluster apply` will give each node, read from the written file.
  const inv = runCli(['cluster', 'inventory', '--cluster', file]);
  assert.equal(inv.code, 0, inv.stderr);
  const hosts = hostsOf(JSON.parse(inv.stdout));
  assert.deepEqual(Object.keys(hosts).sort(), ['lb', 'manager', 'worker-1', 'worker-2']);
  const manager = hosts.manager!.apim_answers;
  assert.deepEqual(manager.workerIps, ['192.0.2.21', '192.0.2.22']);
  assert.deepEqual(manager.syncTargets, [`wso2carbon@192.0.2.21:${home}`, `wso2carbon@192.0.2.22:${home}`]);
  assert.deepEqual(manager.hazelcastMembers, ['192.0.2.10:4500', '192.0.2.21:4200', '192.0.2.22:4200']);
  assert.equal(hosts['worker-2']!.apim_answers.managerIp, '192.0.2.10');
  assert.equal(hosts['worker-2']!.apim_answers.localMemberHost, '192.0.2.22');
  assert.deepEqual(hosts.lb!.apim_answers.workerIps, ['192.0.2.21', '192.0.2.22']);
  assert.equal(hosts.lb!.apim_answers.hazelcast, undefined, 'a load balancer does not carry the Hazelcast choice');
});

test('cluster init refuses bad input, naming the flag or the node and key, and writes nothing', async () => {
  const dir = await tempDir();
  const file = join(dir, 'cluster.json');
  const refused = (args: string[], message: RegExp) => {
    const r = runCli(['cluster', 'init', '--cluster', file, ...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '');
  };
  refused([...SHARED], /--node: give every node of the cluster/);
  refused(['--node', 'worker-1:worker:192.0.2.21', ...SHARED], /--node "worker-1:worker:192\.0\.2\.21": write it as NAME=ROLE@ADDRESS/);
  refused(['--node', 'm=gateway@192.0.2.10', '--node', 'w=worker@192.0.2.21', ...SHARED], /--node "m=gateway@192\.0\.2\.10": the role "gateway" is not one of manager, worker, load-balancer/);
  refused([...NODES, '--host-name', 'am.example.com', '--mgt-host-name', 'mgt.am.example.com'], /--home: the API-M home on the manager and the workers is required/);
  refused([...NODES, '--home', '/opt/wso2am-2.1.0', '--host-name', 'am.example.com'], /cluster init: node "manager": mgtHostName is required for role manager/);
  refused(['--node', 'm=manager@192.0.2.10', '--node', 'w=worker@192.0.2.10', ...SHARED], /cluster init: node "w": address 192\.0\.2\.10 is also node "m"'s/);
  refused(['--node', 'w=worker@192.0.2.21', ...SHARED], /cluster init: nodes: no manager; a Gateway has exactly one Gateway Manager/);
  refused(['--node', 'bad name=manager@192.0.2.10', '--node', 'w=worker@192.0.2.21', ...SHARED], /cluster init: node "bad name": name must be 1–63 letters, digits/);
  refused([...NODES, ...SHARED, '--worker-ips', '192.0.2.30'], /--worker-ips: not an option of cluster/);
  refused([...NODES, ...SHARED, '--limit', 'manager'], /--limit: not for cluster init/);
  assert.deepEqual(await readdir(dir), [], 'nothing written');

  // An existing file is never replaced: its bytes stay.
  await writeFile(file, '{"cluster": 1, "nodes": []}\n');
  refused([...NODES, ...SHARED], /the file exists; cluster init writes a new one/);
  assert.equal(await readFile(file, 'utf8'), '{"cluster": 1, "nodes": []}\n');

  // The other actions read the file: answers flags and --node are refused there, not ignored.
  const check = runCli(['cluster', 'check', '--cluster', file, '--host-name', 'am.example.com']);
  assert.equal(check.code, 1);
  assert.match(check.stderr, /--host-name: only for cluster init/);
});

const asRoot = process.getuid?.() === 0;

test('a link planted at the cluster file\'s name by another user is never written through, even after the check that it is free', { skip: asRoot ? false : 'needs root (the link is planted as nobody)' }, async () => {
  const dir = await tempDir();
  await chmod(dir, 0o1777);
  const file = join(dir, 'cluster.json');
  const victim = join(dir, 'victim');
  // nobody plants the link after root's `lstat` found the name free: the write itself must refuse.
  execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'ln', '-s', victim, file]);
  await assert.rejects(writeFileSafely(file, Buffer.from('{}\n'), { mode: 0o644, createOnly: true }), FileExistsError);
  assert.equal(await lstat(victim).catch(() => undefined), undefined, 'the link\'s target was not created');
  assert.ok((await lstat(file)).isSymbolicLink(), 'the planted link is left as it was');
  assert.deepEqual((await readdir(dir)).sort(), ['cluster.json'], 'no temp file left beside it');

  const r = runCli(['cluster', 'init', '--cluster', file, ...NODES, ...SHARED]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the file exists; cluster init writes a new one/);
  assert.equal(await lstat(victim).catch(() => undefined), undefined);
});
