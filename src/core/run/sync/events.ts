// What a sync run reports as it goes, in order. The wizard's screen and the headless verb
// render the same events; nothing here knows about terminals.
import type { Item, Progress, Summary } from './itemize.js';

export type SyncStage = 'local' | 'key' | 'preflight' | 'preview' | 'confirm' | 'sync' | 'done';

export interface KeyInfo {
  /** As on the node. */
  path: string;
  publicKey: string;
  /** SHA256:… as ssh-keygen -l prints it. */
  fingerprint: string;
  created: boolean;
}

export interface InstallHint {
  /** The line to append to ~user/.ssh/authorized_keys on each worker. */
  publicKey: string;
  /** Per worker: the ssh-copy-id command (needs password login once). */
  commands: { worker: string; command: string }[];
  /** The same by hand, as the worker's user. */
  manual: string;
  /** A short command on this manager that prints the public key line whole (the terminal wraps it, nothing is cut inside the key). */
  print: string;
}

export interface WorkerPreview {
  worker: string;
  pairs: { dir: string; summary: Summary }[];
}

export type SyncEvent =
  | { type: 'stage'; stage: SyncStage; title: string }
  /** One check, reported when it starts (status running) and again when it ends. */
  /** `reason`: the explanation id of a failure (key-refused, host-key-changed, refused, timeout, no-rsync, …; explain.ts). */
  | { type: 'check'; worker?: string; name: string; status: 'running' | 'ok' | 'warning' | 'failed'; detail: string; reason?: string }
  | { type: 'key'; key: KeyInfo }
  | { type: 'key-missing'; path: string; command: string }
  | { type: 'install-key'; hint: InstallHint }
  /** A line of ssh's or rsync's own output worth showing (first-contact host key, warnings). */
  | { type: 'output'; worker: string; text: string }
  | { type: 'item'; worker: string; dir: string; phase: 'preview' | 'sync'; item: Item }
  | { type: 'preview'; preview: WorkerPreview }
  | { type: 'progress'; worker: string; dir: string; progress: Progress }
  | { type: 'result'; worker: string; ok: boolean; detail: string; reason?: string; sent: number; deleted: number };

export type Emit = (e: SyncEvent) => void;
