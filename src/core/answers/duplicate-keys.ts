// Keys given twice in a JSON text. JSON.parse keeps the last value of a repeated key without a
// word, so `"role": "worker"` further down silently wins over the `"role": "manager"` the admin
// read at the top. A scanner of our own rather than a dependency: it runs after JSON.parse has
// accepted the text, so it only has to follow strings, objects and arrays of valid JSON.

export interface DuplicateKey {
  /** Where the key is: `role`, `a.b`, `list[2].x`. */
  path: string;
  /** 1-based lines of the first and the second occurrence. */
  lines: [number, number];
}

interface Frame {
  kind: 'object' | 'array';
  path: string;
  /** object: key → line of its first occurrence; array: the index of the current entry. */
  keys: Map<string, number>;
  index: number;
  /** object: the next string is a key (after { or ,). */
  expectKey: boolean;
  /** object: the last key read, the name of the value that follows. */
  key?: string;
}

const childPath = (f: Frame | undefined, key: string | undefined) =>
  !f ? '' : f.kind === 'array' ? `${f.path}[${f.index}]` : f.path ? `${f.path}.${key}` : key!;

/** Every key that appears twice in the same object of valid JSON text (the first repeat of each). */
export function duplicateKeys(text: string): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const top = stack.at(-1);
    if (c === '\n') line++;
    else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (top?.kind === 'object' && top.expectKey) {
        // Decoded: "a" and "\u0061" are the same key.
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const first = top.keys.get(key);
        if (first === undefined) top.keys.set(key, line);
        else if (!out.some((d) => d.path === childPath(top, key))) out.push({ path: childPath(top, key), lines: [first, line] });
        top.key = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      stack.push({ kind: c === '{' ? 'object' : 'array', path: childPath(top, top?.key), keys: new Map(), index: 0, expectKey: c === '{' });
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top) {
      if (top.kind === 'object') top.expectKey = true;
      else top.index++;
    }
  }
  return out;
}
