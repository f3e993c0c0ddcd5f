/**
 * Reads a PyTorch module's `forward(self, x)` as a chain over its layers, from the tree-sitter nodes:
 *
 *   x = self.pool(F.relu(self.conv1(x)))      → module conv1, activation relu, module pool
 *   x = torch.flatten(x, 1)  /  x.view(-1, n)  → flatten
 *   return F.log_softmax(self.fc2(x), dim=1)  → module fc2, activation log_softmax
 *
 * Each statement is `v = <chain>` or `return <chain>`, where a chain is the running tensor wrapped in calls of
 * `self.<layer>`, `F.relu/tanh/sigmoid/softmax/log_softmax/...`, `torch.relu/tanh/sigmoid`, `F.max_pool2d` /
 * `F.avg_pool2d`, `F.dropout`, `torch.flatten(x, 1)`, or the tensor methods `.view/.reshape(batch, -1)`,
 * `.flatten(1)`, `.relu()`. Anything else (branches, loops, residual adds, a second input, attention) is
 * refused with the line that could not be followed and why.
 */
import type { Node } from 'web-tree-sitter';
import type { ForwardChain, ForwardOp } from '../ir';
import { callArgs, callFunction, namedChildrenOf } from './syntax';

/** Functional activations (torch.nn.functional / torch / tensor methods) by their PyTorch names. */
const ACTIVATIONS = new Set(['relu', 'tanh', 'sigmoid', 'softmax', 'log_softmax', 'elu', 'selu', 'softplus', 'relu6']);

class Refusal {
  constructor(readonly node: Node, readonly why: string) {}
}

interface Call {
  positional: Node[];
  keywords: Map<string, Node>;
}

function readCall(node: Node): Call {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  const list = callArgs(node);
  for (const arg of list ? namedChildrenOf(list) : []) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      throw new Refusal(arg, 'unpacked arguments are not read');
    } else positional.push(arg);
  }
  return { positional, keywords };
}

/** The argument at `index` or named `name`, if given. */
function argument(call: Call, index: number, name: string): Node | undefined {
  return call.keywords.get(name) ?? call.positional[index];
}

/** An integer written as a literal, a negated literal or literal arithmetic (`64 * 5 * 5`). */
function integerOf(node: Node | undefined): number | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'integer': {
      const v = Number(node.text.replace(/_/g, ''));
      return Number.isSafeInteger(v) ? v : undefined;
    }
    case 'parenthesized_expression':
      return integerOf(namedChildrenOf(node)[0]);
    case 'unary_operator': {
      const v = integerOf(node.childForFieldName('argument') ?? undefined);
      const op = node.childForFieldName('operator')?.text;
      return v === undefined ? undefined : op === '-' ? -v : op === '+' ? v : undefined;
    }
    case 'binary_operator': {
      const a = integerOf(node.childForFieldName('left') ?? undefined);
      const b = integerOf(node.childForFieldName('right') ?? undefined);
      const op = node.childForFieldName('operator')?.text;
      if (a === undefined || b === undefined) return undefined;
      if (op === '*') return a * b;
      if (op === '+') return a + b;
      if (op === '-') return a - b;
      if (op === '//' && b !== 0) return Math.floor(a / b);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** An int or a pair of ints, as PyTorch's pooling arguments take them. */
function sizeOf(node: Node | undefined): number | [number, number] | undefined {
  if (!node) return undefined;
  if (node.type === 'tuple' || node.type === 'list') {
    const items = namedChildrenOf(node).map((n) => integerOf(n));
    if (items.length === 2 && items.every((v) => v !== undefined && v > 0)) return [items[0]!, items[1]!];
    return undefined;
  }
  const v = integerOf(node);
  return v !== undefined && v > 0 ? v : undefined;
}

function attributeParts(node: Node): string[] | undefined {
  if (node.type === 'identifier') return [node.text];
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attr = node.childForFieldName('attribute');
  const head = object ? attributeParts(object) : undefined;
  return head && attr ? [...head, attr.text] : undefined;
}

/** `x.size(0)`, `x.shape[0]`, `len(x)` or a name: the batch dimension, as `view(batch, -1)` spells it. */
function isBatchSize(node: Node): boolean {
  if (node.type === 'identifier') return true;
  if (node.type === 'call') {
    const fn = callFunction(node);
    const args = readCall(node);
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'size') return integerOf(args.positional[0]) === 0;
    if (fn?.type === 'identifier' && fn.text === 'len') return args.positional.length === 1;
  }
  if (node.type === 'subscript') {
    const value = node.childForFieldName('value');
    const index = node.childForFieldName('subscript');
    return value?.type === 'attribute' && value.childForFieldName('attribute')?.text === 'shape' && integerOf(index ?? undefined) === 0;
  }
  return false;
}

/** The 1-based line of a node. */
function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

export class ForwardReader {
  /** `qualify` resolves a dotted name through the file's imports (F → torch.nn.functional). */
  constructor(private readonly qualify: (parts: string[]) => string[]) {}

  /** The class's forward() as a chain; undefined when the class has no forward method. */
  read(cls: Node): ForwardChain | undefined {
    const def = forwardMethod(cls);
    if (!def) return undefined;
    try {
      return { ops: this.readBody(def) };
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      const row = err.node.startPosition.row;
      const code = (def.tree.rootNode.text.split('\n')[row] ?? err.node.text).trim();
      return { refused: { line: row + 1, code, why: err.why } };
    }
  }

  private readBody(def: Node): ForwardOp[] {
    const params = def.childForFieldName('parameters');
    const names = params ? namedChildrenOf(params) : [];
    const required = names.filter((p) => p.type === 'identifier' || p.type === 'typed_parameter');
    if (required.length !== 2 || names.some((p) => p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern')) {
      throw new Refusal(params ?? def, 'forward() must take exactly one input tensor besides self');
    }
    const input = required[1].type === 'identifier' ? required[1].text : required[1].firstNamedChild?.text;
    if (!input) throw new Refusal(params ?? def, 'the input parameter has no plain name');
    const body = def.childForFieldName('body');
    let current = input;
    const ops: ForwardOp[] = [];
    for (const stmt of body ? namedChildrenOf(body) : []) {
      if (stmt.type === 'pass_statement') continue;
      if (stmt.type === 'expression_statement') {
        const expr = stmt.firstNamedChild;
        if (expr?.type === 'string') continue; // docstring
        if (expr?.type === 'assignment') {
          const left = expr.childForFieldName('left');
          const right = expr.childForFieldName('right');
          if (left?.type !== 'identifier' || !right) throw new Refusal(stmt, 'only `name = <layer chain>` assignments are followed');
          ops.push(...this.chain(right, current));
          current = left.text;
          continue;
        }
        if (expr?.type === 'augmented_assignment') throw new Refusal(stmt, 'an in-place update (a residual add?) is not a chain of layers');
        throw new Refusal(stmt, 'a statement that is not `name = <layer chain>` or `return <layer chain>`');
      }
      if (stmt.type === 'return_statement') {
        const value = stmt.firstNamedChild;
        if (!value) throw new Refusal(stmt, 'forward() returns nothing');
        ops.push(...this.chain(value, current));
        return ops;
      }
      throw new Refusal(stmt, STATEMENT_WHY[stmt.type] ?? `a ${stmt.type.replace(/_/g, ' ')} is not a chain of layers`);
    }
    throw new Refusal(def, 'forward() has no return statement');
  }

  /** The ops that turn the running tensor `current` into `node`'s value, innermost first. */
  private chain(node: Node, current: string): ForwardOp[] {
    switch (node.type) {
      case 'identifier':
        if (node.text === current) return [];
        throw new Refusal(node, `\`${node.text}\` is not the running tensor \`${current}\`: branches and skip connections are not followed`);
      case 'parenthesized_expression':
        return this.chain(namedChildrenOf(node)[0], current);
      case 'call':
        return this.call(node, current);
      case 'binary_operator':
        throw new Refusal(node, 'arithmetic on tensors (a residual add, a scaling) is not a chain of layers');
      case 'conditional_expression':
        throw new Refusal(node, 'a conditional expression is a branch: branches are not followed');
      case 'tuple':
        throw new Refusal(node, 'forward() returns several values');
      default:
        throw new Refusal(node, `a ${node.type.replace(/_/g, ' ')} is not a chain of layers`);
    }
  }

  private call(node: Node, current: string): ForwardOp[] {
    const fn = callFunction(node);
    if (!fn) throw new Refusal(node, 'a call without a callee');
    const args = readCall(node);
    const line = lineOf(node);
    const parts = attributeParts(fn);
    // self.layer(x)
    if (parts && parts[0] === 'self') {
      if (parts.length !== 2) throw new Refusal(node, `\`${fn.text}\` is not a layer of this module`);
      if (args.positional.length !== 1 || args.keywords.size) throw new Refusal(node, `self.${parts[1]} is called with ${args.positional.length + args.keywords.size} arguments, not the running tensor alone`);
      return [...this.chain(args.positional[0], current), { op: 'module', name: parts[1], line }];
    }
    // A method of the tensor: x.view(...), self.conv(x).relu(), ...
    if (fn.type === 'attribute') {
      const object = fn.childForFieldName('object')!;
      const method = fn.childForFieldName('attribute')!.text;
      const qualified = parts ? this.qualify(parts) : undefined;
      const isModuleFunction = qualified !== undefined && qualified[0] === 'torch';
      if (!isModuleFunction) return [...this.chain(object, current), ...this.tensorMethod(node, method, args, line)];
    }
    if (!parts) throw new Refusal(node, `\`${fn.text}\` is not a function the training panel knows`);
    const q = this.qualify(parts);
    const name = q[q.length - 1];
    const functional = q.length === 4 && q[0] === 'torch' && q[1] === 'nn' && q[2] === 'functional';
    const torchTop = q.length === 2 && q[0] === 'torch';
    if (!functional && !torchTop) throw new Refusal(node, `\`${fn.text}\` is neither a layer of this module nor a torch function the training panel knows`);
    const input = args.positional[0] ?? args.keywords.get('input');
    if (!input) throw new Refusal(node, `${fn.text}() has no input tensor`);
    const inner = () => this.chain(input, current);
    if (ACTIVATIONS.has(name) && (functional || ['relu', 'tanh', 'sigmoid', 'softmax', 'log_softmax'].includes(name))) {
      if (name === 'softmax' || name === 'log_softmax') this.checkClassDim(node, argument(args, 1, 'dim'));
      return [...inner(), { op: 'activation', fn: name, line }];
    }
    if (functional && (name === 'max_pool2d' || name === 'avg_pool2d')) {
      const kernelSize = sizeOf(argument(args, 1, 'kernel_size'));
      if (kernelSize === undefined) throw new Refusal(node, `${fn.text}(): its kernel size is not a literal`);
      const strideNode = argument(args, 2, 'stride');
      const stride = strideNode ? sizeOf(strideNode) : undefined;
      if (strideNode && stride === undefined) throw new Refusal(node, `${fn.text}(): its stride is not a literal`);
      const padding = argument(args, 3, 'padding');
      if (padding && integerOf(padding) !== 0) throw new Refusal(node, `${fn.text}(): padding other than 0 has no TF.js equivalent here`);
      return [...inner(), { op: 'pool', kind: name === 'max_pool2d' ? 'max' : 'avg', kernelSize, ...(stride !== undefined ? { stride } : {}), line }];
    }
    if (functional && name === 'dropout') {
      const pNode = argument(args, 1, 'p');
      const p = pNode ? Number(pNode.text) : 0.5;
      if (!(p >= 0 && p < 1)) throw new Refusal(node, `${fn.text}(): its rate is not a literal in [0, 1)`);
      // training=False written out: the call does nothing.
      if (argument(args, 2, 'training')?.text === 'False') return inner();
      return [...inner(), { op: 'dropout', p, line }];
    }
    if (torchTop && name === 'flatten') {
      const start = argument(args, 1, 'start_dim');
      if (integerOf(start) !== 1) throw new Refusal(node, 'torch.flatten() must keep the batch: start_dim=1');
      return [...inner(), { op: 'flatten', line }];
    }
    throw new Refusal(node, `${fn.text}() is not among the functions the training panel follows (activations, max/avg pooling, dropout, flatten)`);
  }

  private tensorMethod(node: Node, method: string, args: Call, line: number): ForwardOp[] {
    if (method === 'view' || method === 'reshape') {
      const dims = args.positional.length === 1 && (args.positional[0].type === 'tuple' || args.positional[0].type === 'list') ? namedChildrenOf(args.positional[0]) : args.positional;
      if (dims.length === 2) {
        const [a, b] = dims;
        const features = integerOf(b);
        if (integerOf(a) === -1 && features !== undefined && features > 0) return [{ op: 'flatten', features, line }];
        if (isBatchSize(a) && (features === -1 || (features !== undefined && features > 0))) return [{ op: 'flatten', ...(features! > 0 ? { features } : {}), line }];
      }
      throw new Refusal(node, `.${method}() is followed only as a flatten to (batch, features): view(-1, n) or view(x.size(0), -1)`);
    }
    if (method === 'flatten') {
      if (integerOf(argument(args, 0, 'start_dim')) !== 1) throw new Refusal(node, '.flatten() must keep the batch: flatten(1)');
      return [{ op: 'flatten', line }];
    }
    if (method === 'relu' || method === 'tanh' || method === 'sigmoid') {
      if (args.positional.length || args.keywords.size) throw new Refusal(node, `.${method}() takes no arguments`);
      return [{ op: 'activation', fn: method, line }];
    }
    if (method === 'softmax' || method === 'log_softmax') {
      this.checkClassDim(node, argument(args, 0, 'dim'));
      return [{ op: 'activation', fn: method, line }];
    }
    throw new Refusal(node, `the tensor method .${method}() is not a layer the training panel follows`);
  }

  /** softmax over the class axis: dim=1 or dim=-1 of a (batch, classes) tensor. */
  private checkClassDim(node: Node, dim: Node | undefined): void {
    const d = integerOf(dim);
    if (dim && d !== 1 && d !== -1) throw new Refusal(node, 'softmax over an axis other than the classes (dim=1)');
  }
}

const STATEMENT_WHY: Record<string, string> = {
  if_statement: 'an if statement is a branch: branches are not followed',
  for_statement: 'a loop is not followed (write the layers out, or use nn.Sequential)',
  while_statement: 'a loop is not followed',
  with_statement: 'a with block is not followed',
  try_statement: 'a try block is not followed',
};

function forwardMethod(cls: Node): Node | undefined {
  const body = cls.childForFieldName('body');
  if (!body) return undefined;
  for (const stmt of namedChildrenOf(body)) {
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === 'forward') return def;
  }
  return undefined;
}
