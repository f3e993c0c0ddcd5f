/**
 * The hover card for a layer definition, as markdown. Pure (plain data in, a string out) so that it is
 * unit-tested without an editor; src/editor/hoverProvider.ts wraps it in a MarkdownString whose
 * command links are limited to an allow-list.
 */
import { activationFamily, initializerFamily, mainWeight } from '../analysis/findings';
import { modelDisplayName } from '../analysis/format';
import type { Framework, LayerReport, ModelReport, WeightReport } from '../analysis/types';
import { formatCountOrSymbol, formatOrSymbol, formatShape, formatSignificant } from './numbers';

export const FRAMEWORK_NAMES: Record<Framework, string> = { keras: 'Keras', pytorch: 'PyTorch', tfjs: 'TF.js' };

/** A `command:` link target; the arguments travel as URI-encoded JSON, as VS Code expects. */
export function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** Text from user code shown in markdown: inline code that cannot be broken out of. */
export function inlineCode(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${clean.includes('`') ? ` ${clean} ` : clean}${fence}`;
}

/** Table cells may not contain a pipe or a newline. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** Whether two numbers differ by more than the 4 digits we show. */
function differs(a: number, b: number): boolean {
  return Math.abs(a - b) > 5e-4 * Math.max(Math.abs(a), Math.abs(b));
}

function fanSymbol(weight: WeightReport, which: 'fanIn' | 'fanOut'): string {
  return formatOrSymbol(weight[which], weight.symbolic?.[which]);
}

/** Xavier uniform limit, or its formula over the symbols where a fan is unknown. */
export function xavierLimitText(weight: WeightReport): string {
  if (weight.xavierUniformLimit !== null) return `±${formatSignificant(weight.xavierUniformLimit)}`;
  return `±√(6/(${fanSymbol(weight, 'fanIn')}+${fanSymbol(weight, 'fanOut')}))`;
}

export function xavierStdText(weight: WeightReport): string {
  if (weight.xavierNormalStd !== null) return formatSignificant(weight.xavierNormalStd);
  return `√(2/(${fanSymbol(weight, 'fanIn')}+${fanSymbol(weight, 'fanOut')}))`;
}

export function heStdText(weight: WeightReport): string {
  if (weight.heNormalStd !== null) return formatSignificant(weight.heNormalStd);
  return `√(2/${fanSymbol(weight, 'fanIn')})`;
}

const num = (v: number | null | undefined) => (typeof v === 'number' ? formatSignificant(v) : '?');

/** What the initializer in use draws: "U(±0.08111), σ 0.04683", "N(0, σ 0.01)". */
export function describeDraw(weight: WeightReport): string {
  const use = weight.inUse;
  switch (use.distribution) {
    case 'uniform':
      return `U(±${num(use.limit)})` + (typeof use.actualStd === 'number' ? `, σ ${formatSignificant(use.actualStd)}` : '');
    case 'normal':
      return `N(0, σ ${num(use.std)})`;
    case 'truncated_normal': {
      const actual = typeof use.actualStd === 'number' && typeof use.std === 'number' && differs(use.actualStd, use.std);
      return `truncated N(σ ${num(use.std)})` + (actual ? `, actual σ ≈ ${formatSignificant(use.actualStd as number)}` : '');
    }
    case 'constant':
      return `every weight = ${num(use.value)}`;
    case 'orthogonal':
      return 'an orthogonal matrix';
    case 'identity':
      return 'the identity matrix';
    default:
      return typeof use.actualStd === 'number' ? `σ ≈ ${formatSignificant(use.actualStd)}` : '';
  }
}

export function describeInitializer(weight: WeightReport, framework: Framework): string {
  const source = weight.initializerSource === 'default' ? `${FRAMEWORK_NAMES[framework]} default` : 'explicit';
  const draw = describeDraw(weight);
  return `${inlineCode(weight.initializer)} (${source})${draw ? ` → ${draw}` : ''}`;
}

/**
 * Layers no activation follows as part of what they compute: a lookup table and the normalisations. He-or-Xavier
 * advice (which is about the nonlinearity after a weighted sum) does not apply to them.
 */
const NO_ACTIVATION_ADVICE = new Set(['embedding', 'batch_norm', 'layer_norm', 'group_norm', 'instance_norm', 'local_response_norm', 'prelu']);

/** One line on how the initializer fits the activation (He for ReLU, Xavier for tanh/sigmoid); undefined where none applies. */
export function activationFitLine(layer: LayerReport, framework?: Framework): string | undefined {
  if (layer.kind !== undefined && NO_ACTIVATION_ADVICE.has(layer.kind)) return undefined;
  const family = activationFamily(layer.activation);
  const weight = mainWeight(layer);
  const inUse = weight ? initializerFamily(weight) : 'other';
  const name = layer.activation ?? '';
  if (family === 'relu') {
    const verdict = inUse === 'he' ? ' He is in use ✓' : inUse === 'xavier' ? ' Xavier is in use.' : '';
    return `**Fit:** ${name}: He keeps the signal's variance through the layer; Xavier halves it at each layer.${verdict}`;
  }
  if (family === 'tanh' || family === 'sigmoid') {
    const verdict = inUse === 'xavier' ? ' Xavier is in use ✓' : inUse === 'he' ? ' He is in use.' : '';
    return `**Fit:** ${name}: Xavier keeps the variance near 1, in the unit's linear range; He doubles it toward saturation.${verdict}`;
  }
  if (family === 'other') return `**Fit:** ${name}: no ReLU correction needed; Xavier (or LeCun) keeps the variance.`;
  if (layer.activation === null) {
    // A PyTorch module applies its activations in forward() (F.relu(self.fc1(x))), which the card does not read.
    const why = framework === 'pytorch' ? 'activation not known here (PyTorch applies it in forward(), not read for this card)' : 'activation not known here';
    return `**Fit:** ${why}: ReLU after this layer wants He; tanh/sigmoid wants Xavier.`;
  }
  return '**Fit:** linear output: Xavier (or LeCun) keeps the variance.';
}

export interface HoverLinks {
  /** `command:` URI opening the training comparison for this model. */
  train?: string;
  /** `command:` URI opening the Inspect Layers report. */
  inspect?: string;
  /** The diagnostics' messages for this layer (hints are easy to miss: the card repeats them). */
  findings?: string[];
}

/** "in → out"; where neither is known, why (a bare "? → ?" says nothing). */
function shapeLine(model: ModelReport, layer: LayerReport): string {
  const input = layer.symbolic?.inputShape;
  const output = layer.symbolic?.outputShape;
  if (layer.inputShape === null && layer.outputShape === null && !input && !output) {
    const why = model.framework === 'pytorch' ? 'its input comes through forward(), which is not followed for this card' : 'no input shape reaches it';
    return `shapes unknown: ${why}`;
  }
  return `${formatShape(layer.inputShape, input)} → ${formatShape(layer.outputShape, output)}`;
}

/** The card for `layer` of `model`. */
export function buildLayerHoverMarkdown(model: ModelReport, layer: LayerReport, links: HoverLinks = {}): string {
  const lines: string[] = [];
  const activation = layer.activation ? ` · ${inlineCode(layer.activation)}` : '';
  lines.push(
    // TF.js names a `dense` layer `dense`: the name is shown only where it says more than the class.
    `**${cell(layer.type)}**${layer.name === layer.type ? '' : ` ${inlineCode(layer.name)}`} · ${FRAMEWORK_NAMES[model.framework]}${activation}  \n` +
      shapeLine(model, layer),
  );

  // A finding first: it is what the hint's dots stand for, and the card may scroll.
  for (const finding of links.findings ?? []) lines.push(`$(lightbulb) ${finding}`);

  // Fans are a weight matrix's or kernel's: a bias is never in the table, whatever its rank (Keras' GRU keeps (2, 3·units)).
  const matrices = layer.weights.filter((w) => w.shape.length >= 2 && !/bias/i.test(w.name));
  if (matrices.length) {
    lines.push(
      [
        '| weight | shape | fan_in | fan_out | Xavier U | Xavier N σ | He σ |',
        '|---|---|---:|---:|---:|---:|---:|',
        ...matrices.map(
          (w) =>
            `| ${cell(w.name)} | ${cell(formatShape(w.shape, w.symbolic?.shape))} | ${cell(fanSymbol(w, 'fanIn'))} | ${cell(fanSymbol(w, 'fanOut'))} | ` +
            `${cell(xavierLimitText(w))} | ${cell(xavierStdText(w))} | ${cell(heStdText(w))} |`,
        ),
      ].join('\n'),
    );
    for (const w of matrices) {
      // Only where that truncated Glorot normal is what draws the weights: on a glorotUniform or heNormal layer it is noise.
      const truncatedGlorot = initializerFamily(w) === 'xavier' && w.inUse.distribution === 'truncated_normal';
      if (truncatedGlorot && w.xavierNormalStd !== null && w.xavierNormalActualStd !== null && differs(w.xavierNormalStd, w.xavierNormalActualStd)) {
        lines.push(
          `${FRAMEWORK_NAMES[model.framework]}'s Glorot normal truncates at 2σ: ${w.name} weights drawn with it have σ ≈ ${formatSignificant(w.xavierNormalActualStd)}, not ${formatSignificant(w.xavierNormalStd)}.`,
        );
      }
    }
  }

  const inUse = layer.weights.map((w) => `${w.name} ${describeInitializer(w, model.framework)}`);
  if (inUse.length) lines.push(`**In use:** ${inUse.join('  \n')}`);
  if (!layer.weights.length) lines.push('No weights.');

  lines.push(`**Params:** ${formatCountOrSymbol(layer.params, layer.symbolic?.params)}`);
  const fit = layer.weights.length ? activationFitLine(layer, model.framework) : undefined;
  if (fit) lines.push(fit);
  if (layer.notes?.length) lines.push(layer.notes.map((n) => `_${cell(n)}_`).join('  \n'));

  const actions: string[] = [];
  if (links.train) actions.push(`[$(beaker) Compare initializers on MNIST](${links.train} "Open the training comparison for ${modelDisplayName(model).replace(/"/g, '')}")`);
  if (links.inspect) actions.push(`[$(layers) Inspect layers](${links.inspect} "Show every layer of this file")`);
  if (actions.length) lines.push(actions.join(' · '));
  return lines.join('\n\n');
}
