// Rendering the wizard in tests: the real <App> over a temp root, keys written inside React's
// act(), and frames awaited by polling with a deadline (never a fixed sleep).
import { act, createElement } from 'react';
import { after } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { App, type AppProps } from '../src/ui/App.js';
import { prepareWizard, type WizardEnv } from '../src/core/node/session.js';
import { openQuestion } from './screen-helpers.js';
import { nginxBuild } from '../src/core/run/nginx/install.js';

export { openQuestion };

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export const KEY = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  backspace: '\x7f',
  home: '\x1b[H',
  end: '\x1b[F',
  del: '\x1b[3~',
  ctrlC: '\x03',
} as const;

export const SIZE = { columns: 80, rows: 24 };

/** The environment of a test run: no $CARBON_HOME, nothing found in the current directory. */
export function testEnv(extra: Partial<WizardEnv> = {}): WizardEnv {
  return { cwd: '/nonexistent-cwd', startedByNpm: false, ...extra };
}

export interface Wizard {
  frame: () => string;
  frames: () => string[];
  press: (...keys: string[]) => Promise<void>;
  type: (text: string) => Promise<void>;
  /** Lets React finish what a frame started (its effects: a new screen's key handlers). */
  settle: () => Promise<void>;
  /** Each event its own stdin write, all inside one act(): React renders only after the last one. */
  burst: (...events: string[]) => Promise<void>;
  waitFor: (pred: string | RegExp | ((frame: string) => boolean), what?: string) => Promise<string>;
  exitCode: () => number | undefined;
  unmount: () => Promise<void>;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

// A test that fails half-way leaves its app mounted: unmount it (inside act) when the file ends.
const mounted = new Set<() => Promise<void>>();
after(async () => {
  for (const unmount of mounted) await unmount();
});

export async function startWizard(
  values: Record<string, unknown>,
  opts: { env?: Partial<WizardEnv>; size?: AppProps['size']; beforeWrite?: AppProps['beforeWrite']; startOptions?: AppProps['startOptions'] } = {},
): Promise<Wizard> {
  const inputs = await prepareWizard(values, testEnv(opts.env));
  let code: number | undefined;
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(createElement(App, { inputs, size: opts.size ?? SIZE, beforeWrite: opts.beforeWrite, startOptions: opts.startOptions, onExit: (c: number) => (code = c) }));
  });
  // With CI set (as CI runs the tests) Ink ends by writing its last output again, which in
  // ink-testing-library's debug mode is empty: the frame on screen is the last one with text.
  const frame = () => stripVTControlCharacters([...r.frames].reverse().find((f: string) => f.trim() !== '') ?? '');
  const unmount = async () => {
    mounted.delete(unmount);
    await act(async () => {
      r.unmount();
    });
  };
  mounted.add(unmount);
  return {
    frame,
    frames: () => r.frames.map((f) => stripVTControlCharacters(f)),
    // One key per act(): Ink hands a chunk of several keys to the app as one piece of text.
    press: async (...keys) => {
      for (const k of keys) {
        await act(async () => {
          r.stdin.write(k);
          // A lone Esc is told from the start of a sequence on the next turn of the event loop.
          await new Promise((resolve) => setImmediate(resolve));
        });
      }
    },
    type: async (text) => {
      await act(async () => {
        r.stdin.write(text);
      });
    },
    settle: () => act(tick),
    burst: async (...events) => {
      await act(async () => {
        for (const e of events) r.stdin.write(e);
      });
    },
    waitFor: async (pred, what) => {
      const test = typeof pred === 'function' ? pred : (f: string) => (typeof pred === 'string' ? f.includes(pred) : pred.test(f));
      const deadline = Date.now() + 10_000;
      for (;;) {
        const f = frame();
        if (test(f)) return f;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what ?? String(pred)}; last frame:\n${f}`);
        await act(tick);
      }
    },
    exitCode: () => code,
    unmount,
  };
}

/** Every line of a frame, for size checks: no line wider than the terminal, no more lines than it has. */
export function frameFits(frame: string, size = SIZE): string | undefined {
  const lines = frame.replace(/\n$/, '').split('\n');
  if (lines.length > size.rows - 1) return `${lines.length} lines`;
  const wide = lines.find((l) => [...l].length > size.columns);
  return wide === undefined ? undefined : `line of ${[...wide].length} columns: ${wide}`;
}

/**
 * The live frame: the last rows of the output. ink-testing-library writes what <Static> printed
 * (the scrollback of a real terminal) above the frame on every render.
 */
export function liveFrame(frame: string, size = SIZE): string {
  return frame.replace(/\n$/, '').split('\n').slice(-(size.rows - 1)).join('\n');
}

/** The frame with runs of blanks and line breaks as one space: for prose the frame wraps. */
export function flat(frame: string): string {
  return frame.replace(/\s+/g, ' ');
}

/**
 * Answers every question up to the review (or to the question `stopAt`): replaces the text of the fields named in `values`
 * (by schema key), accepts the others as pre-filled. Fails with the frame on a field's message.
 */
export async function answerQuestions(w: Wizard, values: Partial<Record<string, string>> = {}, stopAt?: string): Promise<string> {
  for (let step = 0; step < 60; step++) {
    const frame = w.frame();
    if (frame.includes('· Review')) return frame;
    const open = openQuestion(frame);
    if (!open) throw new Error(`no open question in:\n${frame}`);
    if (open.key === stopAt) return frame;
    const want = values[open.key];
    if (want !== undefined && open.text !== want) {
      for (let k = 0; k < open.text.length; k++) await w.press(KEY.backspace);
      if (want) await w.type(want);
      await w.waitFor((f) => openQuestion(f)?.text === want, `${open.key} = ${want}`);
    }
    await w.press(KEY.enter);
    const next = await w.waitFor(
      (f) => f.includes('· Review') || f.includes('✖') || openQuestion(f)?.key !== open.key,
      `the question after ${open.key}`,
    );
    if (next.includes('✖') && !next.includes('· Review')) throw new Error(`a question was refused:\n${next}`);
  }
  throw new Error(`still asking after 60 questions:\n${w.frame()}`);
}

/** What a fresh demo node lacks for a Gateway Manager: no rsync targets, Hazelcast off (as axis2.xml ships). */
export const MANAGER_TYPED = { managerIp: '192.0.2.10', workerIps: '192.0.2.21, 192.0.2.22', syncTargets: '', hazelcast: 'no' };

/** The same manager as answers for core (the values the questions pre-fill or are typed). */
export const MANAGER_ANSWERS = {
  role: 'manager',
  productHome: '/opt/wso2am-2.1.0',
  hostName: 'am.wso2.com',
  mgtHostName: 'mgt.am.wso2.com',
  managerIp: MANAGER_TYPED.managerIp,
  workerIps: MANAGER_TYPED.workerIps.split(', '),
  hazelcast: false,
};

/** From the welcome screen to the questions of the role preselected (a fresh node: the Gateway Manager). */
export async function toQuestions(w: Wizard): Promise<string> {
  await w.waitFor('Found');
  await w.press(KEY.enter);
  await w.waitFor('What is this node?');
  await w.press(KEY.enter);
  return w.waitFor(/Questions 1\/\d+/);
}

/** From the welcome screen to the review of a Gateway Manager. */
export async function toManagerReview(w: Wizard, values: Partial<Record<string, string>> = MANAGER_TYPED): Promise<string> {
  await toQuestions(w);
  return answerQuestions(w, values);
}

/** A load balancer on loopback with high ports and a trial certificate (the UI tests of Step 1). */
export const LB_ANSWERS = {
  role: 'load-balancer',
  hostName: 'am.wso2.com',
  mgtHostName: 'mgt.am.wso2.com',
  managerIp: '127.0.0.1',
  workerIps: ['127.0.0.2'],
  listenAddress: '127.0.0.1',
  proxyHttpPort: 18080,
  proxyHttpsPort: 18443,
  selfSignedCertificate: true,
};

/** The `skip` option of tests that need Debian's nginx (built for /etc/nginx/nginx.conf). */
export async function needsDebianNginx(): Promise<false | string> {
  const build = await nginxBuild();
  return build.binary && build.confPath === '/etc/nginx/nginx.conf' ? false : 'needs nginx built for /etc/nginx/nginx.conf (Debian nginx-light)';
}
