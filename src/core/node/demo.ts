// The built-in demo cluster: one sandbox per node (load balancer, manager, two workers), each a
// small product home, /etc/hosts and /etc/nginx of our own making under its own root, so that
// the wizard can be tried without a WSO2 installation, node after node, and the manager's first
// push really lands in the workers' homes. The manager's sandbox is the single sandbox of older
// versions ($TMPDIR/apim-gateway-wizard-demo, reused as it is); the others sit beside it.
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { copyTemplates } from '../edit/templates.js';
import type { AnswersLayer } from '../answers/load.js';
import type { Role } from '../answers/schema.js';

/** The repository's templates/ folder (tests copy from it). */
export { repositoryTemplates as templatesDir } from '../edit/templates.js';

export const DEMO_HOME = '/opt/wso2am-2.1.0';

/** The nodes in WSO2's order: the manager first, then the workers, the load balancer last. */
export const DEMO_NODES = ['manager', 'worker-1', 'worker-2', 'load-balancer'] as const;
export type DemoNode = (typeof DEMO_NODES)[number];

export const DEMO_ROLE: Record<DemoNode, Role> = { manager: 'manager', 'worker-1': 'worker', 'worker-2': 'worker', 'load-balancer': 'load-balancer' };

/** Documentation addresses (RFC 5737): they only land in the sandboxes' /etc/hosts. */
const ADDRESS = { manager: '192.0.2.10', 'worker-1': '192.0.2.21', 'worker-2': '192.0.2.22' } as const;
const WORKERS = ['worker-1', 'worker-2'] as const;

export function isDemoNode(s: unknown): s is DemoNode {
  return typeof s === 'string' && (DEMO_NODES as readonly string[]).includes(s);
}

/** The node after this one, or none after the load balancer. */
export function nextDemoNode(node: DemoNode): DemoNode | undefined {
  return DEMO_NODES[DEMO_NODES.indexOf(node) + 1];
}

const PREFIX = 'apim-gateway-wizard-demo';

/** The root of one node's sandbox under `base` (the temp folder): the manager's keeps the old single sandbox's name. */
export function demoNodeRoot(base: string, node: DemoNode): string {
  return join(base, node === 'manager' ? PREFIX : `${PREFIX}-${node}`);
}

/** The product home of each demo worker as the manager's push sees it (the sandbox's real path). */
export function demoWorkerHomes(base: string): string[] {
  return WORKERS.map((w) => join(demoNodeRoot(base, w), DEMO_HOME.slice(1)));
}

/** One API the workers do not have yet, so that the demo's first push has something to send. */
const DEMO_API = 'repository/deployment/server/synapse-configs/default/api/admin--DemoAPI_v1.0.0.xml';
const DEMO_API_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!-- A demo API: only the demo manager has it until its first push to the workers. -->
<api xmlns="http://ws.apache.org/ns/synapse" name="admin--DemoAPI" context="/demo/1.0.0" version="1.0.0" version-type="context">
   <resource methods="GET" url-mapping="/*" faultSequence="fault">
      <inSequence>
         <respond/>
      </inSequence>
   </resource>
</api>
`;

/**
 * Creates the cluster on first use (every node, so that the manager can push before the
 * workers are configured) and returns the root of `node`; later runs reuse it, so progress
 * shows. Files a sandbox made by an older version lacks are added; none is overwritten.
 */
export async function demoRoot(base = tmpdir(), node: DemoNode = 'manager'): Promise<string> {
  for (const n of DEMO_NODES) {
    const root = demoNodeRoot(base, n);
    const fresh = await ownSandbox(root);
    await copyTemplates('demo', root);
    if (fresh && n === 'manager') {
      const api = join(root, DEMO_HOME.slice(1), DEMO_API);
      await mkdir(dirname(api), { recursive: true });
      await writeFile(api, DEMO_API_XML, { flag: 'wx' });
    }
  }
  return demoNodeRoot(base, node);
}

/**
 * Makes the sandbox folder (true) or checks that the one there is this user's own (false).
 * TMPDIR is shared and the demo's push writes (and deletes) in the workers' sandboxes, as root
 * when root runs it: a folder someone else made there, or a link, would steer those writes.
 */
async function ownSandbox(root: string): Promise<boolean> {
  try {
    await mkdir(root, { mode: 0o755 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = await lstat(root);
  const uid = process.geteuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    const what = st.isSymbolicLink() ? 'a link' : !st.isDirectory() ? 'not a folder' : st.uid !== uid ? `a folder of uid ${st.uid}, not this user's` : 'a folder others can write';
    throw new Error(`demo sandbox ${root} is ${what}; remove it, or set TMPDIR to a folder of your own`);
  }
  return false;
}

/**
 * The cluster's shape as the demo's lowest answers layer: every node knows the manager's and
 * the workers' addresses; the manager pushes, as the user running the demo (who exists), to
 * each worker's sandbox. `base` is the folder the sandboxes are in (demoRoot's).
 */
export function demoAnswers(base: string, node: DemoNode): AnswersLayer {
  const layer: AnswersLayer = { managerIp: ADDRESS.manager, workerIps: WORKERS.map((w) => ADDRESS[w]) };
  const me = userInfo().username;
  if (node === 'manager') {
    layer.syncTargets = WORKERS.map((w, i) => `${me}@${ADDRESS[w]}:${demoWorkerHomes(base)[i]}`);
    layer.syncCronUser = me;
  }
  if (node === 'worker-1' || node === 'worker-2') layer.localMemberHost = ADDRESS[node];
  return layer;
}

/**
 * What the demo decides over an answers file (only --flags win): a sandbox has no certificate
 * of its own, so a load balancer (in any of its sandboxes) makes a trial one, also when the answers carried over from
 * the workers say `selfSignedCertificate: false` (their default).
 */
export function demoOverrides(role: Role): AnswersLayer {
  return role === 'load-balancer' ? { selfSignedCertificate: true } : {};
}
