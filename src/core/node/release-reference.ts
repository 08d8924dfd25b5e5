// README's per-release table, generated from RELEASE_TRAITS (npm run docs) so that it says
// exactly what the wizard does on each release.
import { launcherCommand, RELEASES, RELEASE_TRAITS, type Release } from './release.js';

const code = (r: Release, role: 'manager' | 'worker') => `\`${launcherCommand(r, role, { program: 'wso2server.sh' })}\``;

function row(r: Release): string {
  const jms = r.jmsEventPublisher ? 'commented out' : 'not shipped: nothing to do (a block added by hand is commented out)';
  const pushed = r.syncScope === 'synapse' ? '`repository/deployment/server/synapse-configs/` only' : '`repository/deployment/server/`';
  const reset = r.syncScope === 'synapse' ? 'not needed (only synapse-configs is pushed)' : 'moved whole to the backup; the new one gets a copy of `synapse-configs/`';
  const worker = `${code(r, 'worker')}${r.workerOptimizer ? ' (runs `bin/profileSetup.sh`; preflight checks it and `xmllint`)' : ''}`;
  return `| ${r.id} | ${jms} | ${code(r, 'manager')} | ${worker} | ${pushed} | ${reset} | ${r.sources} |`;
}

export function releasesReference(): string {
  return [
    '| release | `JMSEventPublisherParameters` (api-manager.xml) | manager start | worker start | the manager pushes | worker `resetDeployment` | sources |',
    '|---|---|---|---|---|---|---|',
    ...RELEASES.map((id) => row(RELEASE_TRAITS[id])),
  ].join('\n');
}
