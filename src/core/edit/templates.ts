// The files under templates/ (nginx site, sync job, demo sandbox). The bundle carries them
// inside itself (scripts/build.mjs embeds them), so one copied file runs on an offline node;
// from source they are read from the repository. Every generated file is one mustache
// template rendered by renderTemplate (below); the demo sandbox is copied as it is.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mustache, { type TemplateSpans } from 'mustache';

export interface TemplateFile {
  /** Base64 of the bytes. */
  data: string;
  mode: number;
}

declare const __EMBEDDED_TEMPLATES__: Record<string, TemplateFile> | undefined;

let cache: Record<string, TemplateFile> | undefined;

/** templates/ of the repository, found upward from this module (src/core/edit when run from source). */
export function repositoryTemplates(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'templates', 'demo'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new Error('the templates/ folder is missing next to the program; reinstall apim-gateway-wizard');
}

/** Every template file by its path under templates/ (with / separators). */
export function readTemplateTree(dir: string): Record<string, TemplateFile> {
  const out: Record<string, TemplateFile> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) out[relative(dir, p).split('\\').join('/')] = { data: readFileSync(p).toString('base64'), mode: statSync(p).mode & 0o777 };
    }
  };
  walk(dir);
  return out;
}

function all(): Record<string, TemplateFile> {
  cache ??= typeof __EMBEDDED_TEMPLATES__ !== 'undefined' ? __EMBEDDED_TEMPLATES__ : readTemplateTree(repositoryTemplates());
  return cache;
}

export function readTemplate(path: string): string {
  const f = all()[path];
  if (!f) throw new Error(`template ${path} is missing; reinstall apim-gateway-wizard`);
  return Buffer.from(f.data, 'base64').toString('utf8');
}

/** Copies every template under `prefix/` to `dest`, keeping modes; existing files are left alone. */
export async function copyTemplates(prefix: string, dest: string): Promise<void> {
  for (const [path, f] of Object.entries(all())) {
    if (!path.startsWith(`${prefix}/`)) continue;
    const target = join(dest, path.slice(prefix.length + 1));
    if (existsSync(target)) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, Buffer.from(f.data, 'base64'));
    await chmod(target, f.mode);
  }
}

/**
 * What a template is rendered with: `{{name}}` takes a string, `{{#name}}…{{/name}}` keeps its
 * lines when the value is true and `{{^name}}…{{/name}}` when it is false, `{{group.name}}` a
 * string of a group (the sync script's `quoted.*`: shell words, quoted before rendering).
 */
export type TemplateView = { [name: string]: string | boolean | Record<string, string> };

function lookup(view: TemplateView, name: string): unknown {
  return name.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined), view);
}

/**
 * Mustache renders a missing name as nothing; a generated file with a hole in it is worse than
 * no file, so every name the template (and its partials) uses must have a value of its kind.
 */
function checkNames(tokens: TemplateSpans, view: TemplateView, what: string, partial: (name: string) => string): void {
  for (const token of tokens) {
    const [kind, name] = token;
    if (kind === 'name' || kind === '&') {
      if (typeof lookup(view, name) !== 'string') throw new Error(`${what}: template value ${name} is not given`);
    } else if (kind === '#' || kind === '^') {
      if (typeof lookup(view, name) !== 'boolean') throw new Error(`${what}: template section ${name} has no true/false value`);
      checkNames(token[4] as TemplateSpans, view, what, partial);
    } else if (kind === '>') {
      checkNames(Mustache.parse(partial(name)), view, `${what} > ${name}`, partial);
    }
  }
}

/**
 * Renders mustache text. `partial` gives the text of `{{> name}}`; a partial tag on a line of
 * its own is indented like that line.
 */
export function renderTemplateText(text: string, view: TemplateView, what = 'template', partial: (name: string) => string = (name) => {
  throw new Error(`${what}: no partial ${name}`);
}): string {
  checkNames(Mustache.parse(text), view, what, partial);
  // Generated files are nginx, bash and cron, not HTML: values go in exactly as given (shell
  // values are quoted before rendering), so HTML escaping is off, for this call only.
  return Mustache.render(text, view, partial, { escape: (value: string) => value });
}

/** Renders templates/<path>; its partials are files of the same folder (`{{> proxy-settings.conf}}`). */
export function renderTemplate(path: string, view: TemplateView): string {
  const folder = posix.dirname(path);
  return renderTemplateText(readTemplate(path), view, `template ${path}`, (name) => readTemplate(posix.join(folder, name)));
}
