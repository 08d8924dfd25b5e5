// Finding the product home for the interactive wizard: --home, the answers file,
// $CARBON_HOME, the current directory, then the usual install places. Every candidate
// is looked up under --root, like every other absolute path.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { onDisk, productFile } from './layout.js';
import { RELEASES } from './release.js';

/** Every known release, newest first: where two are unpacked side by side, the newer is the one being set up. */
const NEWEST_FIRST = [...RELEASES].reverse();

/**
 * Where unpacked 2.x packs and the Debian/RPM packages usually live, then ~/wso2am-<release>:
 * `<release>` stands for each known release.
 */
export const INSTALL_PLACES = ['/opt/wso2am-<release>', '/usr/lib/wso2/wso2am/<release>'] as const;

export interface HomeHints {
  /** --home, as typed (a relative path is taken from cwd). */
  flag?: string;
  /** productHome of the --answers file. */
  answersFile?: string;
  carbonHome?: string;
  cwd: string;
  /** The user's own home directory, for ~/wso2am-<release>. */
  userHome?: string;
  root?: string;
}

export interface HomeTried {
  path: string;
  source: string;
  found: boolean;
  /** A usual install place: the same place for every release, so the welcome screen can say it once. */
  pattern?: string;
}

export interface HomeSearch {
  home?: string;
  /** How the home was found, in the words of the welcome screen ("--home", "$CARBON_HOME", ...). */
  source?: string;
  tried: HomeTried[];
  /** Set when an explicit --home is not a product home: the search stops there. */
  problem?: string;
}

/** undefined when `path` (as on the node) holds repository/conf/carbon.xml under root. */
export async function productHomeProblem(path: string, root?: string): Promise<string | undefined> {
  const carbon = onDisk(root, productFile(path, 'carbon'));
  const st = await stat(carbon).catch(() => undefined);
  if (st?.isFile()) return undefined;
  const dir = await stat(onDisk(root, path)).catch(() => undefined);
  if (!dir) return `${path} does not exist`;
  if (!dir.isDirectory()) return `${path} is not a directory`;
  return `${path} has no repository/conf/carbon.xml; is it the wso2am-2.x.0 directory?`;
}

export async function findProductHome(h: HomeHints): Promise<HomeSearch> {
  const tried: HomeTried[] = [];
  if (h.flag !== undefined) {
    const path = resolve(h.cwd, h.flag);
    const problem = await productHomeProblem(path, h.root);
    tried.push({ path, source: '--home', found: !problem });
    // An explicit --home that is wrong is a mistake to show, not a reason to pick another home.
    return problem ? { tried, problem: `--home ${problem}` } : { home: path, source: '--home', tried };
  }
  const usual = (pattern: string) => NEWEST_FIRST.map((r): [string, string, string] => [pattern.replace('<release>', r), 'a usual install place', pattern]);
  const candidates: Array<[string | undefined, string, string?]> = [
    [h.answersFile, 'the answers file'],
    [h.carbonHome, '$CARBON_HOME'],
    [h.cwd, 'the current directory'],
    ...INSTALL_PLACES.flatMap(usual),
    ...(h.userHome ? usual(join(h.userHome, 'wso2am-<release>')) : []),
  ];
  for (const [path, source, pattern] of candidates) {
    if (!path) continue;
    const found = !(await productHomeProblem(path, h.root));
    tried.push({ path, source, found, ...(pattern ? { pattern } : {}) });
    if (found) return { home: path, source, tried };
  }
  return { tried };
}
