/**
 * Functional-graph bookkeeping shared by the Python (Keras) and TypeScript (TF.js) readers: a layer applied
 * to tensors (`x = Dense(8)(x)`, `dense.apply(x)`) becomes a node; `Model(...)` / `tf.model(...)` marks the
 * nodes it gathers as used. Nodes no model gathered still become models, so hovers find their layers.
 */
import type { Framework, LayerCall, ParsedModel } from '../ir';

export interface GraphNode {
  layer: LayerCall;
  /** Indices into the reader's whole node list of the nodes this one is applied to. */
  inbound: number[];
  /** The function or module scope the node was written in: loose nodes are grouped per scope. */
  scopeKey: string;
  /** Start offset, to order models as written. */
  start: number;
  used: boolean;
}

/** One `graph@<line>` model per scope from the nodes no model gathered, with inbound re-indexed within it. */
export function looseGraphModels(graph: readonly GraphNode[], framework: Framework): { start: number; model: ParsedModel }[] {
  const perScope = new Map<string, number[]>();
  graph.forEach((node, index) => {
    if (node.used) return;
    const indices = perScope.get(node.scopeKey) ?? [];
    indices.push(index);
    perScope.set(node.scopeKey, indices);
  });
  const models: { start: number; model: ParsedModel }[] = [];
  for (const indices of perScope.values()) {
    const localIndex = new Map(indices.map((graphIndex, i) => [graphIndex, i]));
    const first = graph[indices[0]];
    models.push({
      start: first.start,
      model: {
        framework,
        name: `graph@${first.layer.range.start.line + 1}`,
        kind: 'functional',
        range: first.layer.range,
        layers: indices.map((graphIndex) => {
          const node = graph[graphIndex];
          return { ...node.layer, inbound: node.inbound.flatMap((j) => (localIndex.has(j) ? [localIndex.get(j)!] : [])) };
        }),
      },
    });
  }
  return models;
}

/**
 * The layers of a functional model, `Model(inputs, outputs)` / `tf.model({inputs, outputs})`: every node the
 * outputs depend on, in source order, marked as used, with inbound re-indexed within the model.
 */
export function gatherModelLayers(graph: readonly GraphNode[], outputs: readonly number[]): LayerCall[] {
  const seen = new Set<number>();
  const stack = [...outputs];
  while (stack.length) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    for (const j of graph[i].inbound) stack.push(j);
  }
  const members = [...seen].sort((a, b) => graph[a].start - graph[b].start);
  const position = new Map(members.map((g, i) => [g, i]));
  return members.map((g) => {
    const node = graph[g];
    node.used = true;
    return { ...node.layer, inbound: node.inbound.map((j) => position.get(j)!) };
  });
}
