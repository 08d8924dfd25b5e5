// Step 5 of the WSO2 procedure, before the first start: the JMS event publisher block of
// api-manager.xml commented out (manager and worker, as WSO2's own 2.1.0 pattern 3 does; from
// 2.2.0 the block is not shipped: throttling events go to the Traffic Manager), and on a worker,
// only when asked, repository/deployment/server moved into the backup area and replaced by one
// that holds only a copy of what the server needs to start (synapse-configs), for the manager's
// rsync to fill.
import { join } from 'node:path';
import type { Answers } from '../answers/schema.js';
import type { Release } from '../node/release.js';
import { productFile, stateDir } from '../node/layout.js';
import { serverPaths } from '../run/server/paths.js';
import { runningServer } from '../run/server/procs.js';
import { applyXmlEdits, readText } from '../edit/xml/index.js';
import type { Contribution, DirectoryReset, Step, StepContext } from './contribution.js';

const JMS_PUBLISHER = '/APIManager/ThrottlingConfigurations/JMSEventPublisherParameters';

export const DEPLOYMENT_DIR = 'repository/deployment/server';

function gatewayNode(a: Answers): boolean {
  return a.role === 'manager' || a.role === 'worker';
}

/** A live <JMSEventPublisherParameters> block (not a commented-out one). */
function hasPublisher(text: string): boolean {
  return readText(text, JMS_PUBLISHER) !== undefined;
}

export function prepareContributions(a: Answers, release: Release | undefined): Contribution[] {
  if (!gatewayNode(a)) return [];
  const file = productFile(a.productHome!, 'apiManager');
  if (!release || release.jmsEventPublisher) {
    return [
      {
        file,
        format: 'xml',
        mayCreate: false,
        reason: 'JMS event publisher parameters commented out (<ThrottlingConfigurations><JMSEventPublisherParameters>), as WSO2 does on distributed Gateway nodes',
        edit: (text) => applyXmlEdits(text, [{ op: 'commentOut', path: JMS_PUBLISHER }]),
      },
    ];
  }
  // 2.2 and later ship no such block: nothing to do, unless one was added by hand.
  return [
    {
      file,
      format: 'xml',
      mayCreate: false,
      reason: `JMS event publisher parameters: not in ${release.id} (throttling events go to the Traffic Manager through <ThrottlingConfigurations><TrafficManager>); a block added by hand is commented out, as on 2.1`,
      edit: (text) => (hasPublisher(text) ? applyXmlEdits(text, [{ op: 'commentOut', path: JMS_PUBLISHER }]) : text),
      warnings: (text) =>
        hasPublisher(text) ? [`api-manager.xml has a <JMSEventPublisherParameters> block, which ${release.id} does not ship: commented out, as on 2.1`] : [],
    },
  ];
}

/** The record that this worker's deployment directory was reset once (the reset is never planned again). */
export function deploymentResetMarker(home: string): string {
  return join(stateDir(home), 'deployment-reset');
}

/** What a Gateway Worker needs in its deployment folder to start before the first sync (else: "synapse.xml location … doesn't exist"). */
export const KEPT_ON_RESET = ['synapse-configs'] as const;

export function prepareResets(a: Answers, release: Release | undefined): DirectoryReset[] {
  if (a.role !== 'worker' || a.resetDeployment !== true) return [];
  // From 2.5 the manager pushes synapse-configs only: the rest of the folder is the worker's own.
  if (release?.syncScope === 'synapse') return [];
  const home = a.productHome!;
  return [
    {
      dir: join(home, DEPLOYMENT_DIR),
      reason:
        "worker's first setup (resetDeployment): the directory goes whole into this apply's backup; a new one, same mode and owner, takes its place holding only a copy of synapse-configs/ (Synapse will not start without synapse-configs/default), for the manager's rsync to fill",
      marker: deploymentResetMarker(home),
      keep: KEPT_ON_RESET,
    },
  ];
}

/** Said in the plan when resetDeployment is asked on a release that pushes only synapse-configs. */
export function resetNotNeeded(a: Answers, release: Release | undefined): string | undefined {
  if (a.role !== 'worker' || a.resetDeployment !== true || release?.syncScope !== 'synapse') return undefined;
  return `resetDeployment: nothing to move on ${release.id}: the manager pushes only repository/deployment/server/synapse-configs/, which its first push replaces whole (--delete); the rest of the folder stays the worker's own (its --optimize start trims webapps and jaggeryapps)`;
}

/** Moving the deployment directory under a running server would pull its artifacts away mid-flight. */
async function verify(ctx: StepContext): Promise<void> {
  const a = ctx.answers;
  if (a.productHome === undefined || !ctx.files.has(deploymentResetMarker(a.productHome))) return;
  const running = await runningServer(serverPaths(a.productHome, ctx.root));
  if (running) {
    throw new Error(
      `the server is running (pid ${running.pid}): ${join(a.productHome, DEPLOYMENT_DIR)} cannot be moved under it. Stop it first (apim-gateway-wizard stop), then apply again`,
    );
  }
}

export const prepareStep: Step = {
  id: 'prepare',
  contributions: prepareContributions,
  resets: prepareResets,
  notes: (a, release) => [resetNotNeeded(a, release)].filter((n): n is string => n !== undefined),
  verify,
};
