/**
 * Input bounds for the tree-sitter readers: shapes of text on which tree-sitter's own parser or query cursor
 * (C code we do not control) is slow, refused up front with a notice instead of parsed.
 *
 * Measured with web-tree-sitter 0.27 (see /tmp/notes/fuzzfix.md): a 1 MB single line of non-ASCII garbage takes
 * ~2 s in tree-sitter's Python parse and ~3 s more in its query cursor; 10,000 unclosed brackets make every query
 * over the file cost ~150 ms whatever the pattern (the error region nests 10,000 hidden nodes deep). Model code
 * is nowhere near either bound: CPython itself refuses more than 200 nested brackets, and hand-written lines are
 * a few hundred characters. JSON is not bounded here: its reader is not tree-sitter, and TF.js writes
 * model.json as one long line.
 */

/** Longest line (UTF-16 units) read: longer ones are minified or generated text, not model code to inspect. */
export const MAX_LINE_LENGTH = 64 * 1024;

/** Deepest bracket nesting read. Counted over every bracket character (strings and comments too): a guard, not a parse. */
export const MAX_BRACKET_DEPTH = 1_000;

export interface InputBounds {
  maxLineLength?: number;
  maxBracketDepth?: number;
}

/** Why a source text is over the bounds (a notice naming the line), or undefined when it is within them. */
export function sourceBoundsNotice(text: string, bounds: InputBounds = {}): string | undefined {
  const maxLineLength = bounds.maxLineLength ?? MAX_LINE_LENGTH;
  const maxDepth = bounds.maxBracketDepth ?? MAX_BRACKET_DEPTH;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x0a;
    if (code === 0x0a) {
      const length = i - lineStart;
      if (length > maxLineLength) {
        return `Skipped: line ${line} is ${kilobytes(length)} KB long (limit ${kilobytes(maxLineLength)} KB). Files with such lines (minified or generated code) are not analysed: tree-sitter parses them too slowly.`;
      }
      line++;
      lineStart = i + 1;
    } else if (code === 0x28 || code === 0x5b || code === 0x7b) {
      // ( [ { — compared directly: this loop visits every character of the file, and a Set lookup per
      // character made it cost a tenth of the parse itself.
      if (++depth > maxDepth) {
        return `Skipped: brackets nest more than ${maxDepth} deep at line ${line}. Files nested that deep are not analysed: tree-sitter reads them too slowly (no model code nests like this).`;
      }
    } else if ((code === 0x29 || code === 0x5d || code === 0x7d) && depth > 0) depth--; // ) ] }
  }
  return undefined;
}

function kilobytes(units: number): string {
  return String(Math.round(units / 1024));
}
