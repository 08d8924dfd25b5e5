// esbuild plugin: the few changes to dependencies the bundle needs, each measured (npm run bench).
// The bundle is CommonJS so that the launcher can run it through V8's code cache (bin/), and
// CommonJS has no top-level await: Ink and Yoga each use one, replaced here by the synchronous
// equivalent. Every patch fails the build when its target text is gone (a dependency changed),
// rather than shipping a bundle that behaves differently.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function patch(file, text, from, to) {
  if (!text.includes(from)) throw new Error(`${file}: "${from.slice(0, 70)}" not found; re-check scripts/bundle-patches.mjs against this version`);
  return text.replace(from, to);
}

function between(file, text, start, end, to) {
  const s = text.indexOf(start);
  const e = s < 0 ? -1 : text.indexOf(end, s);
  if (e < 0) throw new Error(`${file}: "${start.slice(0, 70)}" not found; re-check scripts/bundle-patches.mjs against this version`);
  return text.slice(0, s) + to + text.slice(e + end.length);
}

const devtoolsStub = fileURLToPath(new URL('./devtools-stub.mjs', import.meta.url));

export const bundlePatches = {
  name: 'bundle-patches',
  setup(b) {
    // Ink loads React devtools (react-devtools-core and ws, 130 KB) only when DEV=true.
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (a) => (a.importer.includes('/node_modules/ink/') ? { path: devtoolsStub } : undefined));

    // Ink: the two top-level awaits only run when DEV=true (devtools, and its package.json for them).
    b.onLoad({ filter: /\/node_modules\/ink\/build\/reconciler\.js$/ }, (a) => {
      let text = readFileSync(a.path, 'utf8');
      text = patch(a.path, text, "await import('./devtools.js');", "require('./devtools.js');");
      text = patch(a.path, text, '? await loadPackageJson()', '? { name: undefined, version: undefined }');
      return { contents: text, loader: 'js' };
    });

    // Yoga: its wasm is embedded as a data: URL and instantiated asynchronously (through fetch(),
    // whose first call loads Node's HTTP client: about 17 ms before the first frame). Compiling the
    // same bytes synchronously (Node allows it at any size) makes loading a plain function call.
    b.onLoad({ filter: /\/node_modules\/yoga-layout\/dist\/binaries\/yoga-wasm-base64-esm\.js$/ }, (a) => {
      const text = between(a.path, readFileSync(a.path, 'utf8'),
        '(function(){return w||"function"!=typeof WebAssembly.instantiateStreaming', '})().catch(ca);',
        // b(result) is the module's own success path; wa() decodes the embedded bytes.
        'b({instance:new WebAssembly.Instance(new WebAssembly.Module(wa()),d)});');
      return { contents: text, loader: 'js' };
    });
    b.onLoad({ filter: /\/node_modules\/yoga-layout\/dist\/src\/index\.js$/ }, (a) => {
      // The Emscripten module fills the object it is given; with synchronous instantiation it is
      // complete when loadYoga returns.
      const text = patch(a.path, readFileSync(a.path, 'utf8'), 'const Yoga = wrapAssembly(await loadYoga());',
        'const yogaModule = {};\nloadYoga(yogaModule);\nconst Yoga = wrapAssembly(yogaModule);');
      return { contents: text, loader: 'js' };
    });
  },
};
