// Steps 2 and 3 of the WSO2 procedure: the Gateway Manager and Worker settings in
// carbon.xml, catalina-server.xml and /etc/hosts.
import type { Answers } from '../answers/schema.js';
import { HOSTS_FILE, productFile } from '../node/layout.js';
import { applyXmlEdits, readText, type XmlEdit } from '../edit/xml/index.js';
import { hostsConflicts, setHostsBlock, type HostEntry } from '../edit/hosts.js';
import type { Contribution, Step } from './contribution.js';

const HOST_NAME = '/Server/HostName';
const MGT_HOST_NAME = '/Server/MgtHostName';
const HTTP_CONNECTOR = "/Server/Service/Connector[@port='9763']";
const HTTPS_CONNECTOR = "/Server/Service/Connector[@port='9443']";

function carbonEdits(a: Answers): XmlEdit[] {
  const edits: XmlEdit[] = [
    { op: 'uncomment', path: HOST_NAME },
    { op: 'setText', path: HOST_NAME, value: a.hostName!, create: { after: 'Version' } },
  ];
  if (a.role === 'manager') {
    edits.push(
      { op: 'uncomment', path: MGT_HOST_NAME },
      { op: 'setText', path: MGT_HOST_NAME, value: a.mgtHostName!, create: { after: 'HostName' } },
    );
  }
  return edits;
}

/** The /etc/hosts entries this node needs (DESIGN: the manager resolves the cluster name, a worker the manager). */
export function hostsEntries(a: Answers): HostEntry[] {
  if (a.role === 'manager') return [{ ip: a.clusterHostIp!, names: [a.hostName!] }];
  if (a.role === 'worker') return [{ ip: a.managerIp!, names: [a.mgtHostName!] }];
  return [];
}

export function gatewayContributions(a: Answers): Contribution[] {
  if (a.role !== 'manager' && a.role !== 'worker') return [];
  const home = a.productHome!;
  const entries = hostsEntries(a);
  const roleName = a.role === 'manager' ? 'Gateway Manager' : 'Gateway Worker';
  return [
    {
      file: productFile(home, 'carbon'),
      format: 'xml',
      mayCreate: false,
      reason:
        a.role === 'manager'
          ? `HostName ${a.hostName} and MgtHostName ${a.mgtHostName} (${roleName})`
          : `HostName ${a.hostName} (${roleName})`,
      edit: (text) => applyXmlEdits(text, carbonEdits(a)),
      warnings: (text) => {
        const mgt = a.role === 'worker' ? readText(text, MGT_HOST_NAME) : undefined;
        return mgt === undefined
          ? []
          : [`carbon.xml sets <MgtHostName>${mgt}</MgtHostName> on this worker; WSO2 sets it only on the manager (left as it is)`];
      },
    },
    {
      file: productFile(home, 'catalina'),
      format: 'xml',
      mayCreate: false,
      reason: `proxyPort ${a.proxyHttpPort} on the 9763 connector and ${a.proxyHttpsPort} on the 9443 connector (behind the load balancer)`,
      edit: (text) =>
        applyXmlEdits(text, [
          { op: 'setAttribute', path: HTTP_CONNECTOR, name: 'proxyPort', value: String(a.proxyHttpPort), after: 'port' },
          { op: 'setAttribute', path: HTTPS_CONNECTOR, name: 'proxyPort', value: String(a.proxyHttpsPort), after: 'port' },
        ]),
    },
    {
      file: HOSTS_FILE,
      format: 'hosts',
      mayCreate: true,
      reason: entries.map((e) => `${e.names.join(' ')} → ${e.ip}`).join(', '),
      edit: (text) => setHostsBlock(text, entries, HOSTS_FILE),
      warnings: (text) => hostsConflicts(text, entries, HOSTS_FILE),
    },
  ];
}

export const gatewayStep: Step = { id: 'gateway', contributions: gatewayContributions };
