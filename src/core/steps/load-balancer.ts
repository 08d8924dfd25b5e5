// Step 1 of the WSO2 procedure: nginx in front of the Gateway Manager (management host) and
// the Gateway Workers (cluster host). The site is generated whole; on Debian it goes to
// sites-available/ with a link in sites-enabled/. The whole nginx configuration with the new
// files is proven by the real `nginx -t` before anything is written; once written, a running
// nginx is reloaded.
import { dirname } from 'node:path';
import type { Answers } from '../answers/schema.js';
import { includeMatches, nginxBuild, serverNamesOf, siteLink, within, type NginxBuild } from '../run/nginx/install.js';
import { reloadNginx, runningNginx } from '../run/nginx/reload.js';
import { renderSite } from '../run/nginx/site.js';
import { FileKindError } from '../node/regular-file.js';
import { pidFileOf, stageNginx, testNginxConfig, testStaged, type NginxTestResult, type OverlayFile } from '../run/nginx/stage.js';
import {
  describeCertificate,
  describeKey,
  makeTrialCertificate,
  parseCertificate,
  trialPairFits,
  uncoveredNames,
  TRIAL_DAYS,
} from '../run/nginx/tls.js';
import type { Contribution, RollbackContext, Step, StepContext } from './contribution.js';
import { tlsAnswerProblem } from './tls-answers.js';

const isLb = (a: Answers) => a.role === 'load-balancer';
const names = (a: Answers): [string, string] => [a.hostName!, a.mgtHostName!];

function certificateContributions(a: Answers): Contribution[] {
  const cert = a.tlsCertificate!;
  const key = a.tlsCertificateKey!;
  if (a.selfSignedCertificate) {
    const kept = (text: string, made: string | undefined) => {
      if (made !== undefined) return made;
      if (text === '') throw new Error('no certificate was made for it (plan again)');
      return text;
    };
    return [
      {
        file: cert, format: 'pem', mayCreate: true, mode: 0o644,
        reason: `self-signed trial certificate for ${names(a).join(' and ')} (openssl, ${TRIAL_DAYS} days; clients will not trust it)`,
        edit: kept, shown: describeCertificate,
      },
      { file: key, format: 'pem', mayCreate: true, mode: 0o600, reason: 'its private key (mode 600)', edit: kept, shown: describeKey },
    ];
  }
  return [
    {
      file: cert, format: 'pem', mayCreate: false,
      reason: 'your TLS certificate, used as it is', edit: (text) => text, shown: describeCertificate,
      warnings: (text) => {
        const c = parseCertificate(text);
        if (!c) return [];
        const missing = uncoveredNames(c, names(a));
        const out = missing.length ? [`${cert} does not name ${missing.join(' or ')}: clients will see a name mismatch`] : [];
        if (new Date(c.validTo).getTime() < Date.now()) out.push(`${cert} expired on ${c.validTo}`);
        return out;
      },
    },
    { file: key, format: 'pem', mayCreate: false, reason: 'its private key, used as it is', edit: (text) => text, shown: describeKey },
  ];
}

export function loadBalancerContributions(a: Answers): Contribution[] {
  if (!isLb(a)) return [];
  const site = a.nginxSite!;
  const link = siteLink(site);
  const out: Contribution[] = [
    {
      file: site,
      format: 'generated',
      mayCreate: true,
      reason: `nginx site: ${a.hostName} → ${a.workerIps!.length} worker(s) ${a.workerIps!.join(', ')}; ${a.mgtHostName} → manager ${a.managerIp}`,
      edit: () => renderSite(a),
    },
  ];
  if (link) {
    out.push({
      file: link.link,
      format: 'symlink',
      mayCreate: true,
      reason: 'enables the site (Debian: sites-enabled links to sites-available)',
      edit: (current) => {
        if (current !== '' && current !== link.target) {
          throw new Error(`is a link to ${current}, not to ${link.target}; remove it, or give nginxSite the file it links to`);
        }
        return link.target;
      },
      shown: (target) => `symbolic link to ${target}\n`,
    });
  }
  return [...out, ...certificateContributions(a)];
}

const UNSAFE_IN_NGINX = /[\s;'"{}$\\#]/;

async function prepare(a: Answers, current: (file: string) => Buffer | null | undefined): Promise<ReadonlyMap<string, string>> {
  if (!isLb(a)) return new Map();
  for (const key of ['nginxSite', 'tlsCertificate', 'tlsCertificateKey'] as const) {
    if (UNSAFE_IN_NGINX.test(a[key]!)) throw new Error(`${key} ${a[key]} has a character nginx would misread (space, quote, ;, {, }, $, #, \\); choose a plain path`);
  }
  const confDir = dirname((await nginxBuild()).confPath);
  if (!within(a.nginxSite!, confDir)) {
    throw new Error(`nginxSite ${a.nginxSite} is outside ${confDir}, the directory of nginx.conf; put the site in ${confDir}/sites-available or ${confDir}/conf.d`);
  }
  // The same check the questions run at the certificate's and the key's question.
  const problem = tlsAnswerProblem(a, current);
  if (problem) throw new Error(problem);
  if (!a.selfSignedCertificate || trialPairFits(current(a.tlsCertificate!)?.toString(), current(a.tlsCertificateKey!)?.toString(), names(a))) return new Map();
  const [cert, key] = [a.tlsCertificate!, a.tlsCertificateKey!];
  const made = await makeTrialCertificate(names(a));
  return new Map([
    [cert, made.cert],
    [key, made.key],
  ]);
}

/** The step's new files, laid over the disk for nginx -t; undefined when none of them changes. */
function overlayOf(ctx: StepContext): Map<string, OverlayFile> | undefined {
  const overlay = new Map<string, OverlayFile>();
  for (const c of loadBalancerContributions(ctx.answers)) {
    const bytes = ctx.files.get(c.file);
    if (bytes) overlay.set(c.file, { bytes, link: c.format === 'symlink' });
  }
  return overlay.size ? overlay : undefined;
}

/** Other enabled sites (any file nginx loads but ours) that claim one of our host names. */
function sameServerName(test: NginxTestResult, confPath: string, a: Answers): string[] {
  const ours = new Set([a.nginxSite!, siteLink(a.nginxSite!)?.link]);
  const wanted = new Map(names(a).map((n) => [n.toLowerCase(), n]));
  const out: string[] = [];
  for (const [file, text] of test.files) {
    if (ours.has(file) || (file !== confPath && !test.includes.some((pattern) => includeMatches(pattern, file)))) continue;
    for (const { line, names: theirs } of serverNamesOf(text)) {
      for (const name of theirs) {
        const mine = wanted.get(name.toLowerCase());
        if (mine) out.push(`${file} line ${line} (another enabled site) also has server_name ${name}: requests for ${mine} may go to that site instead of the wizard's; remove the name there or disable that site`);
      }
    }
  }
  return out;
}

interface SiteCheck {
  warnings: string[];
  /** Why apply must not write the site. */
  problem?: string;
}

/** nginx -t on the configuration with the new files, and what else the configuration says about them. */
async function checkSite(ctx: StepContext, overlay: Map<string, OverlayFile>, build: NginxBuild): Promise<SiteCheck> {
  let test: NginxTestResult;
  try {
    test = await testNginxConfig({ root: ctx.root, confPath: build.confPath, overlay });
  } catch (e) {
    // A file of nginx's that cannot be read (a FIFO…) is not nginx's verdict: say what it is.
    if (e instanceof FileKindError) return { warnings: [], problem: `the configuration cannot be tested: ${e.message}` };
    return { warnings: [], problem: `nginx -t rejects the configuration with the new site:\n${(e as Error).message}` };
  }
  const warnings = [...test.warnings.map((w) => `nginx -t: ${w.replace(/^nginx: /, '')}`), ...sameServerName(test, build.confPath, ctx.answers)];
  const site = ctx.answers.nginxSite!;
  const loaded = siteLink(site)?.link ?? site;
  if (!test.includes.some((pattern) => includeMatches(pattern, loaded))) {
    return { warnings, problem: `${build.confPath} does not include ${loaded}: nginx would never load the site; add an include for it in the http block` };
  }
  return { warnings };
}

/** At plan time: what nginx -t and the other sites say, as warnings (apply refuses what nginx -t rejects). */
async function checks(ctx: StepContext): Promise<string[]> {
  const overlay = overlayOf(ctx);
  const build = await nginxBuild();
  if (!overlay || !build.binary) return [];
  const { warnings, problem } = await checkSite(ctx, overlay, build).catch((e: Error) => ({ warnings: [], problem: e.message }));
  return problem ? [...warnings, `${problem}\n(apply will refuse until this is fixed)`] : warnings;
}

async function verify(ctx: StepContext): Promise<void> {
  const overlay = overlayOf(ctx);
  if (!overlay) return;
  const build = await nginxBuild();
  if (!build.binary) throw new Error(`the site cannot be tested: ${build.problem}; install nginx first (Debian: apt-get install nginx-light)`);
  const { warnings, problem } = await checkSite(ctx, overlay, build);
  if (problem) throw new Error(problem);
  ctx.say?.(`nginx -t accepts the configuration with the new site (${build.confPath})`);
  for (const w of warnings) ctx.say?.(`warning: ${w}`);
}

/** Reloads a running nginx after its files changed, once nginx -t accepts what is on disk. */
async function reloadIfRunning(build: NginxBuild, root: string | undefined, what: string, say: ((line: string) => void) | undefined, quietWhenStopped: boolean): Promise<void> {
  if (!build.binary) return;
  const pidFile = await pidFileOf(build.confPath, root);
  const running = await runningNginx(pidFile, root, say);
  if (!running) {
    if (!quietWhenStopped) say?.(`nginx is not running (no live process in ${pidFile}): ${what} takes effect when it starts (systemctl start nginx, or nginx)`);
    return;
  }
  // What is on disk now is what nginx will read: prove it once more before the signal.
  const staged = await stageNginx({ root, confPath: build.confPath });
  try {
    await testStaged(staged);
  } catch (e) {
    throw new Error(`nginx -t rejects the installed configuration, so nginx was not reloaded:\n${(e as Error).message}`);
  } finally {
    await staged.cleanup();
  }
  const how = await reloadNginx(running, root);
  say?.(`nginx reloaded with ${what} (${how})`);
}

async function activate(ctx: StepContext): Promise<void> {
  if (!overlayOf(ctx)) return;
  await reloadIfRunning(await nginxBuild(), ctx.root, ctx.restored ? 'the previous configuration' : 'the new site', ctx.say, ctx.restored === true);
}

/**
 * A rollback of a load balancer's apply (its site, certificate and key may live anywhere), or
 * one that put back files of nginx's configuration directory, reloads a running nginx.
 */
async function afterRollback(ctx: RollbackContext): Promise<void> {
  if (ctx.files.length === 0) return;
  const build = await nginxBuild();
  if (!build.binary) return;
  const confDir = dirname(build.confPath);
  if (ctx.role !== 'load-balancer' && !ctx.files.some((f) => within(f, confDir))) return;
  await reloadIfRunning(build, ctx.root, ctx.undone ? 'the configuration from before the rollback' : 'the rolled-back configuration', ctx.say, ctx.undone === true);
}

export const loadBalancerStep: Step = { id: 'load-balancer', contributions: loadBalancerContributions, prepare, checks, verify, activate, afterRollback };
