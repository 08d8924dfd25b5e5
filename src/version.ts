// Replaced at bundle time (scripts/build.mjs); running from source says so.
declare const __VERSION__: string | undefined;
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-source';
