// What the interactive wizard starts from: the command line turned into answers layers, the
// product home (or the demo sandbox), and, once a home is known, what the node looks like.
import { AnswersError, layerFromFlags, readAnswersFile, type AnswersLayer } from '../answers/load.js';
import { COMMAND_NAME } from './invocation.js';
import { asRole, fieldByKey, type Role } from '../answers/schema.js';
import { savedAnswersPath } from '../answers/save.js';
import { DEMO_HOME, DEMO_NODES, DEMO_ROLE, demoAnswers, demoOverrides, demoRoot, isDemoNode, nextDemoNode, type DemoNode } from './demo.js';
import { dirname } from 'node:path';
import { shown } from '../messages/shown.js';
import { detectedAnswers, detectNode, type Detected } from './detect.js';
import { findProductHome, type HomeSearch } from './home.js';
import { nginxAnswers } from '../run/nginx/install.js';
import { onDisk, onDiskNoFollow } from './layout.js';
import { absoluteRoot } from './jail.js';
import { openState } from '../state/location.js';
import type { ReleaseId } from './release.js';
import { SOURCE, type SourcedLayer } from '../answers/prefill.js';
import { STEPS } from '../steps/index.js';
import { stat } from 'node:fs/promises';

/** The step that plans each role's files: a role whose step is not registered yet has nothing to plan. */
const STEP_OF_ROLE: Record<Role, string> = { 'load-balancer': 'load-balancer', manager: 'gateway', worker: 'gateway' };

export function rolePlanned(role: Role): boolean {
  return STEPS.some((s) => s.id === STEP_OF_ROLE[role]);
}

/** Roles that configure an API-M home; the load balancer is a machine with nginx only. */
export function needsProductHome(role: Role): boolean {
  return (fieldByKey('productHome')?.requiredFor ?? []).includes(role);
}

export interface WizardEnv {
  carbonHome?: string;
  cwd: string;
  userHome?: string;
  /** `npm start` (npm_lifecycle_event=start): a newcomer trying the package; no home found → demo. */
  startedByNpm: boolean;
  /** Where the demo sandbox is made (tests give a temp dir). */
  demoBase?: string;
  /** How this wizard was started (node/invocation.ts commandWords): the start of a printed command. */
  command?: string[];
}

export interface WizardInputs {
  root?: string;
  /**
   * Set when every write goes to a sandbox of the demo cluster; `reason` is said on the welcome
   * screen, `node` is the sandbox (its root is `root`), `base` the folder every node's sandbox is in.
   */
  demo?: { reason: string; node: DemoNode; base: string };
  flags: AnswersLayer;
  answersFile?: { path: string; layer: AnswersLayer };
  home: HomeSearch;
  /** How this wizard was started: the first words of the next node's command. */
  command?: string[];
}

const command = (env: WizardEnv) => (env.command ? { command: env.command } : {});

export async function prepareWizard(values: Record<string, unknown>, env: WizardEnv): Promise<WizardInputs> {
  // Absolute and its own links resolved once (core/node/jail.ts): a relative root would mean another place later.
  let root = absoluteRoot(values.root as string | undefined);
  const flags = layerFromFlags(values);
  const file = values.answers as string | undefined;
  const answersFile = file ? { path: file, layer: await readAnswersFile(file) } : undefined;
  const demoNode = values['demo-node'];
  if (values.demo === true || demoNode !== undefined) {
    if (root || values.home !== undefined) {
      throw new AnswersError(['--demo cannot be used with --root or --home: the demo has its own root and home']);
    }
    const node = demoNodeOf(demoNode);
    root = absoluteRoot(await demoRoot(env.demoBase, node));
    return { root, demo: { reason: '--demo', node, base: dirname(root!) }, flags, answersFile, home: { home: DEMO_HOME, source: 'the demo sandbox', tried: [] }, ...command(env) };
  }
  const home = await findProductHome({
    flag: values.home as string | undefined,
    answersFile: answersFile?.layer.productHome as string | undefined,
    carbonHome: env.carbonHome,
    cwd: env.cwd,
    userHome: env.userHome,
    root,
  });
  if (!home.home && !home.problem && env.startedByNpm && !root) {
    // Someone ran `npm start` in a checkout or on a machine without API-M: show the demo, not an error.
    const demoRootDir = absoluteRoot(await demoRoot(env.demoBase, 'manager'))!;
    return {
      root: demoRootDir,
      demo: { reason: 'npm start found no product home', node: 'manager', base: dirname(demoRootDir) },
      flags,
      answersFile,
      home: { home: DEMO_HOME, source: 'the demo sandbox', tried: home.tried },
      ...command(env),
    };
  }
  return { root, flags, answersFile, home, ...command(env) };
}

/** --demo-node NODE (default the manager): one of the demo cluster's sandboxes. */
export function demoNodeOf(value: unknown): DemoNode {
  if (value === undefined) return 'manager';
  if (isDemoNode(value)) return value;
  throw new AnswersError([`--demo-node: "${shown(value)}" is not a node of the demo cluster (${DEMO_NODES.join(', ')})`]);
}

export interface SavedAnswers {
  file: string;
  layer?: AnswersLayer;
  /** A saved file that cannot be used (bad JSON, unknown key): said, then ignored. */
  problem?: string;
}

export interface NodeState {
  /** undefined on a load balancer without API-M: only /etc/hosts and the wizard's own state are read. */
  home?: string;
  detected: Detected;
  detectedLayer: AnswersLayer;
  /** Where the nginx site goes, from nginx -V and the directories present (the load balancer's question). */
  nginxLayer: AnswersLayer;
  /** Saved by the last apply of a Manager or Worker: in the node's state folder. */
  saved: SavedAnswers;
  /** Saved by the last apply of a load balancer (its state folder, /var/lib/apim-gateway-wizard/nodes/load-balancer). */
  savedWithoutHome: SavedAnswers;
  /** What opening the state folders said: an old state moved, or ignored and why. */
  stateNotes?: string[];
}

/** The saved answers a role's apply writes and a re-run of that role starts from. */
export function savedFor(node: NodeState, role: Role | undefined): SavedAnswers {
  if (role === undefined) return node.saved.layer || node.saved.problem ? node.saved : node.savedWithoutHome;
  return needsProductHome(role) ? node.saved : node.savedWithoutHome;
}

async function readSaved(home: string | undefined, root?: string): Promise<SavedAnswers> {
  const file = onDisk(root, savedAnswersPath(home));
  if (!(await stat(file).catch(() => undefined))) return { file };
  try {
    // Messages name the saved answers file itself, also when it is a link (read inside --root).
    return { file, layer: await readAnswersFile(file, onDiskNoFollow(root, savedAnswersPath(home))) };
  } catch (e) {
    return { file, problem: e instanceof AnswersError ? e.problems.join('; ') : (e as Error).message };
  }
}

/** The `release` answer given on this command line (--release, or the answers file): it wins over the saved one. */
export function givenRelease(inputs: WizardInputs): ReleaseId | undefined {
  return (inputs.flags.release ?? inputs.answersFile?.layer.release) as ReleaseId | undefined;
}

/** `release`: the `release` answer given on the command line (givenRelease); else the saved answers' one is used. */
export async function inspectNode(home: string | undefined, root?: string, release?: ReleaseId): Promise<NodeState> {
  const nginxLayer = await nginxAnswers(root).catch(() => ({}));
  // The saved answers are read only from state folders that passed the trust check (core/state/).
  const stateNotes = [...(await openState(undefined, root)).notes, ...(home ? (await openState(home, root)).notes : [])];
  const savedWithoutHome = await readSaved(undefined, root);
  const saved = home ? await readSaved(home, root) : savedWithoutHome;
  // The release as the plan will read it: the answers layers give `release` in this order.
  const detected = await detectNode(home, root, release ?? (saved.layer?.release as ReleaseId | undefined));
  return { home, detected, detectedLayer: detectedAnswers(detected), nginxLayer, saved, savedWithoutHome, stateNotes };
}

/**
 * The answers layers in the order they win: what was given on this command line, then the
 * files on disk (the truth of a configured node), then the answers saved by the last apply.
 */
export function answerLayers(inputs: WizardInputs, node: NodeState | undefined, role?: Role): SourcedLayer[] {
  const layers: SourcedLayer[] = [{ layer: inputs.flags, label: SOURCE.flag }];
  if (inputs.demo) layers.push({ layer: demoOverrides(role ?? DEMO_ROLE[inputs.demo.node]), label: DEMO_SOURCE });
  if (inputs.answersFile) layers.push({ layer: inputs.answersFile.layer, label: SOURCE.answersFile });
  if (node) {
    layers.push({ layer: node.detectedLayer, label: SOURCE.detected });
    layers.push({ layer: node.nginxLayer, label: SOURCE.nginx });
    const saved = savedFor(node, role).layer;
    if (saved) layers.push({ layer: saved, label: SOURCE.saved });
  }
  // Last: the demo cluster's addresses and sync targets, so that each sandbox is a distinct node.
  if (inputs.demo) layers.push({ layer: demoAnswers(inputs.demo.base, inputs.demo.node), label: DEMO_SOURCE });
  return layers;
}

const DEMO_SOURCE = () => 'the demo cluster';

/** The role to offer first: given on the command line (a demo node has its own), else what the node looks like, else what was saved. */
/** The role named on the command line (--role), if any: the wizard then asks no role. */
export function givenRole(inputs: WizardInputs): Role | undefined {
  return asRole(inputs.flags.role);
}

export function initialRole(inputs: WizardInputs, node: NodeState | undefined): Role | undefined {
  const demoRole = inputs.demo ? DEMO_ROLE[inputs.demo.node] : undefined;
  const candidates = [inputs.flags.role, demoRole, inputs.answersFile?.layer.role, node?.detected.looksLike, node?.saved.layer?.role, node?.savedWithoutHome.layer?.role];
  return candidates.map((c) => asRole(c)).find((r) => r !== undefined);
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The node that comes after this one in WSO2's order: the manager, then the workers, then the load balancer. */
const NEXT_ROLE: Record<Role, Role | undefined> = { manager: 'worker', worker: 'load-balancer', 'load-balancer': undefined };

/**
 * The command for the next node: the saved answers with the role that comes next, started the
 * way this wizard was (the installed name, npx, node and the script); none after the load balancer.
 * In the demo, the next node is the next sandbox of the cluster (manager → worker-1 → worker-2 →
 * load balancer), whatever role this one was given.
 */
export function nextNodeCommand(savedFile: string, inputs: WizardInputs, role: Role = 'manager'): string | undefined {
  const demoNext = inputs.demo ? nextDemoNode(inputs.demo.node) : undefined;
  const next = inputs.demo ? (demoNext ? DEMO_ROLE[demoNext] : undefined) : NEXT_ROLE[role];
  if (!next) return undefined;
  const words = [...(inputs.command ?? [COMMAND_NAME])];
  if (demoNext) words.push('--demo-node', demoNext);
  else if (inputs.root) words.push('--root', inputs.root);
  words.push('--answers', savedFile, '--role', next);
  return words.map(shellWord).join(' ');
}
