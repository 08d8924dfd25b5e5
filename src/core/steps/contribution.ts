// What a step contributes to a plan: edits of files, described and pure, plus the checks
// that need the real programs (nginx -t, bash -n) and what to do once the files are in place.
import type { Answers } from '../answers/schema.js';
import type { Release } from '../node/release.js';

/**
 * xml: re-parsed before and after; hosts: our block; generated: a whole file the wizard owns;
 * pem: a certificate or key (made by openssl for a trial, or the admin's own, read as it is);
 * symlink: a symbolic link, whose "text" is its target (sites-enabled/x → ../sites-available/x).
 */
export type FileFormat = 'xml' | 'hosts' | 'generated' | 'pem' | 'symlink';

export interface Contribution {
  /** Absolute path as on the node (before --root). */
  file: string;
  format: FileFormat;
  /** Why this file changes, in the admin's words; shown in the review. */
  reason: string;
  /** false: the file must already exist (product files); true: created when missing. */
  mayCreate: boolean;
  /** Only a file that exists is changed; a missing one is no change (switching a job off). */
  onlyIfPresent?: boolean;
  /** Mode of a file the wizard creates (an existing file keeps its own). Default 0644. */
  mode?: number;
  /**
   * Pure: the current text (or '' when missing) to the new text. Throws on a refused edit.
   * `made`: what the step's prepare() made or read for this file (a fresh key; the port offset
   * its text depends on), when it did.
   */
  edit(text: string, made?: string): string;
  /** What the review shows of a text instead of the text itself (a key is never shown). */
  shown?(text: string): string;
  /** Things worth knowing about the current file that the edit does not change. */
  warnings?(text: string): string[];
}

/**
 * A directory the apply resets: moved whole into the apply's checkpoint (the backup area) and
 * replaced by a new one with the same mode and owner, holding a copy of `keep`; a failed or interrupted apply moves it
 * back. Planned only while `marker` does not exist: apply creates the marker with the move, so
 * it happens once (a worker's repository/deployment/server before its first start).
 */
export interface DirectoryReset {
  /** Absolute path as on the node (before --root). */
  dir: string;
  /** Why, in the admin's words; shown in the plan. */
  reason: string;
  /** The wizard's record that the reset was done (under its state directory). */
  marker: string;
  /** Entries of the directory copied into the new one (modes and owners kept): what the server needs to start. */
  keep?: readonly 'synapse-configs'[];
}

export interface StepContext {
  answers: Answers;
  root?: string;
  /** The new bytes of every file of the plan that changes, by path on the node. */
  files: ReadonlyMap<string, Buffer>;
  /** Set when activate is called again after a failed apply put the old files back. */
  restored?: boolean;
  /** Tells the admin something (nginx is not running, how it was reloaded). */
  say?: (line: string) => void;
}

export interface RollbackContext {
  root?: string;
  /** The role of the node the rolled-back apply configured, when known. */
  role?: string;
  /** The files the rollback put back (or, when `undone`, put back again as they were before it). */
  files: readonly string[];
  /** Set when called again after the rollback itself was undone. */
  undone?: boolean;
  say?: (line: string) => void;
}

export interface Step {
  id: string;
  /** `release`: the node's API-M release (always known on a Gateway node; a load balancer has none). */
  contributions(a: Answers, release: Release | undefined): Contribution[];
  /** What the plan says about the answers on this release (a step not needed there), as warnings. */
  notes?(a: Answers, release: Release | undefined): string[];
  /** Directories this step empties (see DirectoryReset). */
  resets?(a: Answers, release: Release | undefined): DirectoryReset[];
  /**
   * While the plan's files are read (I/O allowed, nothing written): check what a pure edit
   * cannot (a certificate file exists and matches its key), and make what only a program can
   * (a fresh self-signed certificate). `current` gives the bytes read so far. Returns the made
   * texts by file; they reach the file's edit() as `made`. Throwing stops the plan.
   */
  prepare?(a: Answers, current: (file: string) => Buffer | null | undefined, root?: string): Promise<ReadonlyMap<string, string>>;
  /**
   * While the plan is made (nothing written; ctx.files: what the plan would write): what the real
   * tools say about the new files that the plan shows as warnings (nginx -t's). Never throws.
   */
  checks?(ctx: StepContext): Promise<string[]>;
  /** Before anything is written: prove the new files with the real tools. Throwing writes nothing. */
  verify?(ctx: StepContext): Promise<void>;
  /**
   * After every file is written (reload a service); act only when ctx.files holds one of the step's files.
   * Throwing restores every file, then it is called again with `restored` set.
   */
  activate?(ctx: StepContext): Promise<void>;
  /**
   * After a rollback put files back (rollback has no answers, only the files): reload a service
   * that reads them. Throwing undoes the rollback, then it is called again with `undone` set.
   */
  afterRollback?(ctx: RollbackContext): Promise<void>;
}
