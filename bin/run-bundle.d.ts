// Types of run-bundle.js (plain JavaScript: the launcher runs without a build step).
export function cacheFolder(env?: NodeJS.ProcessEnv): string | undefined;
export function cacheFile(folder: string, kind: string, source: string): string;
export function runBundle(bundle: string, kind: 'wizard' | 'verb', folder?: string): void;
