// What a step contributes to a plan: an edit of one file, described and pure.

export type FileFormat = 'xml' | 'hosts';

export interface Contribution {
  /** Absolute path as on the node (before --root). */
  file: string;
  format: FileFormat;
  /** Why this file changes, in the admin's words; shown in the review. */
  reason: string;
  /** false: the file must already exist (product files); true: created when missing. */
  mayCreate: boolean;
  /** Pure: the current text (or '' when missing) to the new text. Throws on a refused edit. */
  edit(text: string): string;
  /** Things worth knowing about the current file that the edit does not change. */
  warnings?(text: string): string[];
}
