// The ports a Gateway node listens on (API-M 2.x defaults, the same in every 2.x carbon.xml, shifted by carbon.xml's
// <Ports><Offset>), and who listens where, read from /proc/net/tcp{,6} (no ss or lsof needed).
import { readdir, readFile, readlink } from 'node:fs/promises';
import { decodeText } from '../../edit/textfile.js';
import { readText } from '../../edit/xml/index.js';
import { join } from 'node:path';
import { readRegularFile } from '../../node/regular-file.js';

export interface NodePort {
  /** Port with the offset applied. */
  port: number;
  /** The default (offset 0). */
  base: number;
  use: string;
}

const MANAGER_PORTS: ReadonlyArray<[number, string]> = [
  [9443, 'HTTPS servlet: management console and admin services'],
  [9763, 'HTTP servlet'],
  [8243, 'HTTPS API traffic'],
  [8280, 'HTTP API traffic'],
  [5672, 'message broker (AMQP; a RabbitMQ on this machine takes it too)'],
  [9611, 'throttling data receiver (TCP)'],
  [9711, 'throttling data receiver (SSL)'],
  [10397, 'Thrift key validation'],
  [9999, 'JMX RMI registry'],
  [11111, 'JMX RMI server'],
];
/** The gateway-worker profile starts neither the broker, the throttling receivers nor the key validation. */
const WORKER_BASES = new Set([9443, 9763, 8243, 8280, 9999, 11111]);

export function nodePorts(role: string, offset: number): NodePort[] {
  return MANAGER_PORTS.filter(([base]) => role !== 'worker' || WORKER_BASES.has(base)).map(([base, use]) => ({ port: base + offset, base, use }));
}

/** <Ports><Offset> of carbon.xml's text; 0 when absent. Throws naming the file when it is not a number. */
export function portOffsetOf(text: string, carbonXml: string): number {
  const raw = readText(text, '/Server/Ports/Offset')?.trim();
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new Error(`${carbonXml}: <Ports><Offset> is "${raw}", not a whole number`);
  return Number(raw);
}

/** carbon.xml <Ports><Offset>; 0 when absent. Throws with the file's name when it cannot be read. */
export async function readPortOffset(carbonXml: string): Promise<number> {
  return portOffsetOf(decodeText(await readRegularFile(carbonXml), carbonXml).text, carbonXml);
}

export interface Listening {
  port: number;
  address: string;
  inode: string;
}

function ipv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

function ipv6(hex: string): string {
  // Four 32-bit words, each in host (little-endian) byte order.
  const bytes: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(word.slice(b * 2, b * 2 + 2));
  }
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(parseInt(bytes[i]! + bytes[i + 1]!, 16).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Every TCP socket in LISTEN state on this machine (this network namespace). */
export async function listeningSockets(): Promise<Listening[]> {
  const out: Listening[] = [];
  for (const [file, decode] of [['/proc/net/tcp', ipv4], ['/proc/net/tcp6', ipv6]] as const) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      const [addr, port] = f[1]!.split(':');
      out.push({ port: parseInt(port!, 16), address: decode(addr!), inode: f[9]! });
    }
  }
  return out;
}

/** Ports (of `wanted`) that something listens on, on any address. */
export async function busyPorts(wanted: readonly number[]): Promise<Map<number, Listening>> {
  const set = new Set(wanted);
  const busy = new Map<number, Listening>();
  for (const l of await listeningSockets()) if (set.has(l.port) && !busy.has(l.port)) busy.set(l.port, l);
  return busy;
}

export interface SocketOwner {
  pid: number;
  name: string;
}

/** The process owning each socket inode (only processes this user may inspect: all of them as root). */
export async function socketOwners(inodes: ReadonlySet<string>): Promise<Map<string, SocketOwner>> {
  const owners = new Map<string, SocketOwner>();
  if (inodes.size === 0) return owners;
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(join('/proc', entry, 'fd')).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(join('/proc', entry, 'fd', fd)).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!) && !owners.has(m[1]!)) {
        const name = (await readFile(join('/proc', entry, 'comm'), 'utf8').catch(() => '?')).trim();
        owners.set(m[1]!, { pid: Number(entry), name });
      }
    }
    if (owners.size === inodes.size) break;
  }
  return owners;
}

/** The smallest offset ≥ 1 that moves every one of the node's ports onto a free one. */
export function suggestOffset(bases: readonly number[], busy: ReadonlySet<number>, current = 0): number {
  for (let offset = current + 1; offset < 1000; offset++) {
    if (bases.every((b) => !busy.has(b + offset))) return offset;
  }
  return current + 1;
}

/** Socket inodes the given processes hold. */
export async function socketInodes(pids: readonly number[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const pid of pids) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''));
      if (m) out.add(m[1]!);
    }
  }
  return out;
}
