// Surgical edits of product XML files we do not own (carbon.xml, catalina-server.xml,
// api-manager.xml, axis2.xml): locate with our own position-aware scanner, splice the original
// string, validate before and after. See edit.ts for the operations.

export { XmlEditError } from './errors.js';
export { applyXmlEdits, type XmlEdit } from './edit.js';
export { readText, readAttribute, readCommented, exists } from './read.js';
export { validateXml, type ValidationResult } from './validate.js';
