// The files under templates/ (nginx site, sync job, demo sandbox). The bundle carries them
// inside itself (scripts/build.mjs embeds them), so one copied file runs on an offline node;
// from source they are read from the repository.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TemplateFile {
  /** Base64 of the bytes. */
  data: string;
  mode: number;
}

declare const __EMBEDDED_TEMPLATES__: Record<string, TemplateFile> | undefined;

let cache: Record<string, TemplateFile> | undefined;

/** templates/ of the repository, found upward from this module (src/core when run from source). */
export function repositoryTemplates(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
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
