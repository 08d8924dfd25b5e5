// What went wrong with ssh or rsync, in plain language. One table serves the wizard (TS)
// and the cron script (rendered into a bash `case`), so the log says the same as the screen.
// Matching is by plain substrings of the output, first match wins.

export interface Explanation {
  id: string;
  needles: readonly string[];
  /** Tokens: {target} {user} {host} {port} {key} {knownHosts} {hostKeyName} {dest}. */
  message: string;
}

export const EXPLANATIONS: readonly Explanation[] = [
  {
    id: 'host-key-changed',
    needles: ['REMOTE HOST IDENTIFICATION HAS CHANGED', 'Host key verification failed'],
    message:
      "{host} answered with a different host key than the one recorded in {knownHosts} (the worker was reinstalled, or something is in between). If the change is expected, forget the old key with: ssh-keygen -R '{hostKeyName}' -f {knownHosts}",
  },
  {
    id: 'key-refused',
    needles: ['Permission denied (publickey'],
    message:
      '{host} refused the key {key} for {user}: add {key}.pub to ~{user}/.ssh/authorized_keys on {host} (for example: ssh-copy-id -i {key}.pub -p {port} {user}@{host})',
  },
  {
    id: 'refused',
    needles: ['Connection refused'],
    message: 'nothing accepts ssh connections on {host} port {port}: is sshd running on the worker, and is the port (syncSshPort) right?',
  },
  {
    id: 'timeout',
    needles: ['Connection timed out', 'Operation timed out', 'timed out during banner exchange'],
    message: 'no answer from {host} port {port} in time: a firewall drops the connection, or the address is wrong',
  },
  {
    id: 'unknown-host',
    needles: ['Could not resolve hostname', 'Name or service not known'],
    message: '{host} cannot be resolved from this manager: add it to /etc/hosts or DNS, or give its address in syncTargets',
  },
  {
    id: 'unreachable',
    needles: ['No route to host', 'Network is unreachable'],
    message: '{host} cannot be reached from this manager (no route to it)',
  },
  {
    id: 'key-permissions',
    needles: ['UNPROTECTED PRIVATE KEY FILE', 'bad permissions'],
    message: 'ssh ignores the key {key} because other users can read it: chmod 600 {key}',
  },
  {
    id: 'key-missing',
    needles: ['not accessible: No such file', 'no such identity'],
    message: 'the key {key} does not exist: create it with apim-gateway-wizard sync --create-key, or set syncKey',
  },
  {
    id: 'key-unreadable',
    needles: ['not accessible: Permission denied', 'Load key'],
    message: 'the key {key} cannot be used by this user (unreadable, or protected by a passphrase that cron cannot type)',
  },
  {
    id: 'no-login-shell',
    needles: ['This account is currently not available'],
    message: '{user} on {host} has no login shell (nologin); rsync over ssh needs one',
  },
  {
    id: 'no-rsync',
    needles: ['rsync: command not found', 'rsync: not found', 'rsync: No such file or directory'],
    message: 'rsync is not installed on {host}: install it there (apt-get install rsync, or yum install rsync)',
  },
  {
    id: 'unclean-shell',
    needles: ['protocol version mismatch', 'is your shell clean'],
    message: 'the login shell of {user} on {host} prints text for non-interactive sessions (an echo in ~/.bashrc?), which breaks rsync',
  },
  {
    id: 'no-dest',
    needles: ['change_dir#3', 'No such file or directory (2)'],
    message: '{dest} does not exist on {host}: is the product home in syncTargets right?',
  },
  {
    id: 'dest-not-writable',
    needles: ['Permission denied (13)', 'Read-only file system (30)'],
    message: '{user} cannot write in {dest} on {host}: the ssh user must be the user that owns and runs API-M there',
  },
  {
    id: 'too-many-deletions',
    needles: ['Deletions stopped due to --max-delete limit'],
    message: 'more files would be deleted on {host} than the preview showed (the manager changed in between): nothing beyond the previewed deletions was removed; run the sync again to see the new preview',
  },
];

export interface ExplainContext {
  target: string;
  user: string;
  host: string;
  port: number;
  key: string;
  knownHosts: string;
  dest?: string;
}

/** How known_hosts names a host: plain on port 22, [host]:port otherwise. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The plain-language explanation of ssh/rsync output, or undefined when nothing known matches. */
export function explain(output: string, ctx: ExplainContext): { id: string; message: string } | undefined {
  const hit = EXPLANATIONS.find((e) => e.needles.some((n) => output.includes(n)));
  if (!hit) return undefined;
  const values: Record<string, string> = {
    target: ctx.target,
    user: ctx.user,
    host: ctx.host,
    port: String(ctx.port),
    key: ctx.key,
    knownHosts: ctx.knownHosts,
    hostKeyName: hostKeyName(ctx.host, ctx.port),
    dest: ctx.dest ?? `${ctx.target}/…`,
  };
  return { id: hit.id, message: hit.message.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`) };
}

/** The same table as a bash `case` for the cron script; tokens become the script's variables. */
export function explainCaseBash(indent: string): string {
  const vars: Record<string, string> = {
    target: '${worker}',
    user: '${user}',
    host: '${host}',
    port: '${SSH_PORT}',
    key: '${KEY}',
    knownHosts: '${KNOWN_HOSTS}',
    hostKeyName: '${hostkey_name}',
    dest: '${dest}',
  };
  const lines: string[] = [];
  for (const e of EXPLANATIONS) {
    if (/["$`\\]/.test(e.message) || e.needles.some((n) => n.includes("'"))) throw new Error(`explanation ${e.id} cannot be put in a bash string`);
    const pattern = e.needles.map((n) => `*'${n}'*`).join(' | ');
    const message = e.message.replace(/\{(\w+)\}/g, (_, k: string) => vars[k]!);
    lines.push(`${indent}${pattern})`, `${indent}  echo "${message}" ;;`);
  }
  lines.push(`${indent}*)`, `${indent}  echo 'see the ssh and rsync output above' ;;`);
  return lines.join('\n');
}
