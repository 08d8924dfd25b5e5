// --json for plan, apply and check: the verb runs as it does for text, into a sink, recording
// its facts; then one document is printed (core/plan/json-report.ts), errors inside it, so a
// script never parses stderr. The exit code is the verb's, and the document says it.
import { ApplyError } from '../core/apply/apply.js';
import { AnswersError } from '../core/answers/load.js';
import { documentText, newFacts, nodeDocument, type DocumentCommand, type NodeFacts } from '../core/plan/json-report.js';
import { VERSION } from '../version.js';
import type { Context } from './context.js';

export const DOCUMENT_VERBS: readonly DocumentCommand[] = ['plan', 'apply', 'check'];

/** The node the verb is about, once its answers are read. */
export function knownNode(facts: NodeFacts, ctx: Pick<Context, 'answers' | 'root'>): void {
  facts.answers = ctx.answers;
  facts.root = ctx.root;
}

/** An error's lines for the document: each problem of bad answers, else the message. */
export function errorLines(e: unknown): string[] {
  if (e instanceof AnswersError) return [...e.problems];
  return [e instanceof Error ? e.message : String(e)];
}

/** Runs `verb` for its facts and prints the document; any error becomes the document's (exit 1). */
export async function withDocument(command: DocumentCommand, values: Record<string, unknown>, out: (s: string) => void, run: (facts: NodeFacts) => Promise<number>): Promise<number> {
  const facts = newFacts(command);
  let code: number;
  try {
    code = await run(facts);
  } catch (e) {
    code = 1;
    facts.errors.push(...errorLines(e));
    // applyPlan put these files back (read back equal to the backup): said only when it did.
    if (e instanceof ApplyError && e.restored.length) facts.actions.push(`restored ${e.restored.length} file(s) to what they were: ${e.restored.join(', ')}`);
  }
  // The answers could not be read: the root is still the one given.
  if (facts.root === undefined && typeof values.root === 'string') facts.root = values.root;
  out(documentText(nodeDocument(facts, code, VERSION)));
  return code;
}

/** The document for a command line that could not even be parsed (`plan --json --frobnicate`). */
export function refusedDocument(command: DocumentCommand, e: unknown): string {
  const facts = newFacts(command);
  facts.errors.push(...errorLines(e));
  return documentText(nodeDocument(facts, 1, VERSION));
}
