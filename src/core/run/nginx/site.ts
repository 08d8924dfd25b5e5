// The nginx site, generated whole from templates/nginx/apim-gateway.conf: WSO2's "HA for
// Gateway" sample in today's syntax (listen … ssl, no `ssl on`), with the forwarded headers,
// 5-minute timeouts (templates/nginx/proxy-settings.conf, one partial for every location) and
// redirects from HTTP to HTTPS.
import { isIPv6 } from 'node:net';
import type { Answers } from '../../answers/schema.js';
import { renderTemplate } from '../../edit/templates.js';
import { ownedHeader } from '../../edit/owned.js';

/** host:port, with an IPv6 address in brackets. */
export function hostPort(address: string, port: number): string {
  return `${isIPv6(address) ? `[${address}]` : address}:${port}`;
}

export function renderSite(a: Answers): string {
  const listen = (port: number) => (a.listenAddress ? hostPort(a.listenAddress, port) : String(port));
  const servers = (port: number) => (a.workerIps ?? []).map((ip) => `    server ${hostPort(ip, port)};`).join('\n');
  return renderTemplate('nginx/apim-gateway.conf', {
    header: ownedHeader('#', `nginx site of the WSO2 API-M Gateway load balancer (${a.hostName}, ${a.mgtHostName})`),
    hostName: a.hostName!,
    mgtHostName: a.mgtHostName!,
    workerHttpsServers: servers(a.workerHttpsPort!),
    workerHttpServers: servers(a.workerHttpPort ?? 8280),
    managerServer: hostPort(a.managerIp!, a.managerPort!),
    httpListen: listen(a.proxyHttpPort!),
    httpsListen: listen(a.proxyHttpsPort!),
    httpsPortSuffix: a.proxyHttpsPort === 443 ? '' : `:${a.proxyHttpsPort}`,
    tlsCertificate: a.tlsCertificate!,
    tlsCertificateKey: a.tlsCertificateKey!,
    httpApiTraffic: a.httpApiTraffic === true,
  });
}
