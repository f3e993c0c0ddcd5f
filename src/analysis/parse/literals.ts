/**
 * `name=value` (Python keyword arguments) and `name: value` (TS object properties) read from their source text
 * when the value is one literal token or one name, which most arguments of a model are. The tree has already
 * said where the argument starts and ends; reading its parts from the text instead of asking tree-sitter for
 * each node saves most of the calls into WASM. Everything here is strict: a text that is not plainly one of
 * these forms gives undefined, and the caller reads it from the nodes (tests compare both ways).
 */
import type { Value } from '../ir';

/** Python's reserved words and the two Python 2 statements the grammar still knows: never a name on their own. */
const PYTHON_RESERVED = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'print', 'exec',
]);

/** JavaScript / TypeScript words that are not plain identifiers in an expression (literals, operators, `this`). */
const JS_RESERVED = new Set([
  'true', 'false', 'null', 'undefined', 'this', 'super', 'new', 'typeof', 'void', 'delete', 'await', 'yield', 'function', 'class',
  'async', 'in', 'instanceof', 'of', 'let', 'var', 'const', 'import', 'export', 'return', 'if', 'else', 'for', 'while', 'do', 'switch',
  'case', 'default', 'break', 'continue', 'throw', 'try', 'catch', 'finally', 'debugger', 'with', 'enum', 'extends', 'implements',
  'interface', 'package', 'private', 'protected', 'public', 'static', 'as', 'satisfies', 'keyof', 'infer', 'is', 'asserts', 'declare',
  'abstract', 'readonly', 'get', 'set', 'arguments', 'eval', 'NaN', 'Infinity',
]);

/** How a language writes a named argument: the separator, its literal tokens, the words that are no name. */
export interface NamedArgumentSyntax {
  separator: '=' | ':';
  literal(text: string): Value | undefined;
  reserved: ReadonlySet<string>;
}

/** Python keyword arguments, `name=value`. */
export const PYTHON_KEYWORD_ARGUMENT: NamedArgumentSyntax = { separator: '=', literal: pythonLiteral, reserved: PYTHON_RESERVED };

/** TypeScript object properties, `key: value` (TF.js layer configs). */
export const TS_PROPERTY: NamedArgumentSyntax = { separator: ':', literal: typescriptLiteral, reserved: JS_RESERVED };

/** Where a `name<sep>value` text splits: the name and the offset where the value starts. */
export interface NameAndValue {
  name: string;
  valueStart: number;
  valueText: string;
}

/**
 * Splits `name = value` / `name: value` at the first separator, allowing spaces and tabs around it. Undefined
 * unless the name is a plain ASCII identifier and nothing but spaces and tabs (no comment, no line break,
 * no continuation) lies between name, separator and value, and the value is on the same line.
 */
export function splitNameValue(text: string, separator: '=' | ':'): NameAndValue | undefined {
  const at = text.indexOf(separator);
  if (at <= 0) return undefined;
  let nameEnd = at;
  while (nameEnd > 0 && isBlank(text.charCodeAt(nameEnd - 1))) nameEnd--;
  let valueStart = at + 1;
  while (valueStart < text.length && isBlank(text.charCodeAt(valueStart))) valueStart++;
  const name = text.slice(0, nameEnd);
  const valueText = text.slice(valueStart);
  if (!isPlainName(name) || valueText.length === 0 || valueText.includes('\n')) return undefined;
  return { name, valueStart, valueText };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** An ASCII identifier: letters, digits and `_`, not starting with a digit. */
export function isPlainName(text: string): boolean {
  if (text.length === 0 || text.length > 200) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

/** A Python literal token: a decimal number, True, False, None, or a one-part string (r/u prefix at most). */
function pythonLiteral(text: string): Value | undefined {
  switch (text) {
    case 'True': return { kind: 'bool', value: true };
    case 'False': return { kind: 'bool', value: false };
    case 'None': return { kind: 'none' };
    default: return numberOrString(text, true);
  }
}

/** A TypeScript literal token: a decimal number, true, false, null, undefined, or a '…' / "…" string. */
function typescriptLiteral(text: string): Value | undefined {
  switch (text) {
    case 'true': return { kind: 'bool', value: true };
    case 'false': return { kind: 'bool', value: false };
    case 'null':
    case 'undefined':
      return { kind: 'none' };
    default: return numberOrString(text, false);
  }
}

function numberOrString(text: string, pythonPrefixes: boolean): Value | undefined {
  const first = text.charCodeAt(0);
  if ((first >= 48 && first <= 57) || first === 46) {
    const value = isDecimalNumber(text) ? Number(text) : NaN;
    return Number.isFinite(value) ? { kind: 'number', value } : undefined;
  }
  const string = singleStringLiteral(text, pythonPrefixes);
  return string === undefined ? undefined : { kind: 'string', value: string };
}

/** `0`, `128`, `0.5`, `.5`, `1.`, `1e-3`, `2.5E+4`: no sign, underscores, leading zeros of integers, other bases or suffixes. */
function isDecimalNumber(text: string): boolean {
  const digitsFrom = (from: number): number => {
    let j = from;
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    return j;
  };
  let i = digitsFrom(0);
  let digits = i;
  let float = false;
  if (text[i] === '.') {
    float = true;
    const end = digitsFrom(i + 1);
    digits += end - i - 1;
    i = end;
  }
  if (digits === 0) return false;
  if (text[i] === 'e' || text[i] === 'E') {
    float = true;
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    const end = digitsFrom(i);
    if (end === i) return false;
    i = end;
  }
  return i === text.length && (float || text === '0' || text[0] !== '0');
}

/**
 * The contents of `'…'` or `"…"` (Python also: an r/u prefix, and triple quotes on one line) when the text is
 * exactly one such string without escapes. A quote inside would mean two strings side by side, or an escape.
 */
function singleStringLiteral(text: string, pythonPrefixes: boolean): string | undefined {
  let i = 0;
  const prefix = text[0]?.toLowerCase();
  if (pythonPrefixes && (prefix === 'r' || prefix === 'u')) i = 1;
  const quote = text[i];
  if (quote !== '"' && quote !== "'") return undefined;
  const triple = pythonPrefixes && text.startsWith(quote.repeat(3), i) && text.length - i >= 6;
  const delimiter = triple ? quote.repeat(3) : quote;
  if (text.length - i < 2 * delimiter.length || !text.endsWith(delimiter)) return undefined;
  const body = text.slice(i + delimiter.length, text.length - delimiter.length);
  if (body.includes('\\') || body.includes(quote) || body.includes('\n')) return undefined;
  return body;
}
