import { parserFor } from './src/analysis/parse/treeSitter';
import { readPython } from './src/analysis/parse/python';
import { Query } from 'web-tree-sitter';
// eslint-disable-next-line
const inputs = require('./bench/inputs.mjs');
const Q = `
(import_statement) @import
(import_from_statement) @import
(function_definition) @scope
(class_definition) @scope
(expression_statement (call) @call)
(expression_statement (assignment right: (call) @call))
(return_statement (call) @call)
(argument_list (call function: (call)) @call)
(keyword_argument value: (call function: (call)) @call)
(list_comprehension body: (call) @call)
(ERROR (call) @call)
(ERROR) @error
`;
void (async () => {
  const text = inputs.kerasModelWithLayers(1000);
  const parser = await parserFor('python');
  const q = new Query(parser.language!, Q);
  const q2 = new Query(parser.language!, '(call) @c');
  const P: number[] = [], C: number[] = [], C2: number[] = [], R: number[] = [];
  for (let i = 0; i < 60; i++) {
    let t = performance.now(); const tree = parser.parse(text)!; P.push(performance.now() - t);
    t = performance.now(); const n = q.captures(tree.rootNode).length; C.push(performance.now() - t);
    t = performance.now(); q2.captures(tree.rootNode); C2.push(performance.now() - t);
    t = performance.now(); readPython(tree, text); R.push(performance.now() - t);
    tree.delete();
    if (i === 0) console.log('captures', n);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(1);
  console.log('parse', med(P), 'narrow query', med(C), '(call) query', med(C2), 'readPython (incl. its query)', med(R));
})();
