// Step 5 of the WSO2 procedure, before the first start: the JMS event publisher block of
// api-manager.xml commented out (manager and worker, as WSO2's own 2.1.0 pattern 3 does), and on
// a worker, only when asked, repository/deployment/server moved into the backup area and
// replaced by an empty one that the manager's rsync fills.
import { join } from 'node:path';
import type { Answers } from '../answers/schema.js';
import { productFile, stateDir } from '../layout.js';
import { serverPaths } from '../server/paths.js';
import { runningServer } from '../server/procs.js';
import { applyXmlEdits } from '../xml/index.js';
import type { Contribution, DirectoryReset, Step, StepContext } from './contribution.js';

const JMS_PUBLISHER = '/APIManager/ThrottlingConfigurations/JMSEventPublisherParameters';

export const DEPLOYMENT_DIR = 'repository/deployment/server';

function gatewayNode(a: Answers): boolean {
  return a.role === 'manager' || a.role === 'worker';
}

export function prepareContributions(a: Answers): Contribution[] {
  if (!gatewayNode(a)) return [];
  return [
    {
      file: productFile(a.productHome!, 'apiManager'),
      format: 'xml',
      mayCreate: false,
      reason: 'JMS event publisher parameters commented out (<ThrottlingConfigurations><JMSEventPublisherParameters>), as WSO2 does on distributed Gateway nodes',
      edit: (text) => applyXmlEdits(text, [{ op: 'commentOut', path: JMS_PUBLISHER }]),
    },
  ];
}

/** The record that this worker's deployment directory was reset once (the reset is never planned again). */
export function deploymentResetMarker(home: string): string {
  return join(stateDir(home), 'deployment-reset');
}

export function prepareResets(a: Answers): DirectoryReset[] {
  if (a.role !== 'worker' || a.resetDeployment !== true) return [];
  const home = a.productHome!;
  return [
    {
      dir: join(home, DEPLOYMENT_DIR),
      reason: "worker's first setup (resetDeployment): the directory goes whole into this apply's backup; an empty one, same mode and owner, takes its place for the manager's rsync to fill",
      marker: deploymentResetMarker(home),
    },
  ];
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

export const prepareStep: Step = { id: 'prepare', contributions: prepareContributions, resets: prepareResets, verify };
