// The texts the analysis benchmarks read: every file in examples/, plus two generated at bench time into a
// temporary folder (never committed): a 1,000-layer Keras model and a ~5 MB Python file of ordinary code
// with a few models in it.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

const ANALYSED_EXTENSIONS = new Set(['.py', '.ts', '.js', '.json']);

/** The example files the engine reads, sorted by name; [] when examples/ is missing or empty. */
export function exampleInputs(examplesDir) {
  let names;
  try {
    names = readdirSync(examplesDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => ANALYSED_EXTENSIONS.has(extname(n)) && statSync(join(examplesDir, n)).isFile())
    .sort()
    .map((n) => ({ id: `examples/${n}`, path: join(examplesDir, n), generated: false }));
}

/**
 * A Keras Sequential model with `layerCount` layers after its `keras.Input` (Dense layers with a Dropout every
 * tenth, a softmax Dense last). Keras does not count the Input among `model.layers`; the engine may list it.
 */
export function kerasModelWithLayers(layerCount) {
  const lines = ['import keras', 'from keras import layers', '', 'model = keras.Sequential([', '    keras.Input(shape=(784,)),'];
  const widths = [512, 256, 128, 64, 32];
  for (let i = 1; i < layerCount; i++) {
    if (i % 10 === 0) {
      lines.push(`    layers.Dropout(0.1, name="dropout_${i}"),`);
    } else {
      const units = widths[i % widths.length];
      const init = i % 2 ? 'glorot_uniform' : 'he_normal';
      lines.push(`    layers.Dense(${units}, activation="relu", kernel_initializer="${init}", name="dense_${i}"),`);
    }
  }
  lines.push('    layers.Dense(10, activation="softmax", name="logits"),', '])', '');
  return lines.join('\n');
}

/** One block of everyday Python (helpers, a small class): what most of a big file is made of. */
function ordinaryBlock(i) {
  return `
def preprocess_${i}(batch, scale=${(i % 7) + 1}):
    """Normalises batch ${i} and returns its summary."""
    total = 0
    for row in batch:
        total += sum(v * scale for v in row if v > ${i % 13})
    return {"mean": total / max(len(batch), 1), "id": ${i}, "tags": [f"t{k}" for k in range(3)]}


class Record${i}:
    def __init__(self, name, values=None):
        self.name = name
        self.values = list(values or [])

    def summary(self):
        return (self.name, len(self.values), max(self.values, default=None))
`;
}

/** A PyTorch module and a Keras model, so that the big file is not model-free. */
function modelBlock(i) {
  return `

class Net${i}(nn.Module):
    def __init__(self, hidden=${64 + (i % 5) * 32}):
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, hidden)
        self.fc2 = nn.Linear(hidden, 64)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        return self.out(torch.relu(self.fc2(torch.relu(self.fc1(x.flatten(1))))))


keras_model_${i} = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
`;
}

/**
 * Just under `maxBytes` of Python (ASCII): ordinary blocks with a model block (one PyTorch module, one Keras
 * Sequential) every 250 blocks. Returns the text and how many models it holds.
 */
export function bigPythonFile(maxBytes) {
  const parts = ['import torch', 'import torch.nn as nn', 'import keras', 'from keras import layers', ''];
  let size = parts.join('\n').length;
  let models = 0;
  for (let i = 0; ; i++) {
    const isModel = i % 250 === 0;
    const block = isModel ? modelBlock(i) : ordinaryBlock(i);
    if (size + block.length + 1 > maxBytes) break;
    parts.push(block);
    size += block.length + 1;
    if (isModel) models += 2;
  }
  return { text: parts.join('\n'), models };
}

/** Writes the generated texts into a fresh temporary folder and returns their descriptions. */
export function generatedInputs() {
  const dir = mkdtempSync(join(tmpdir(), 'xavier-lens-bench-'));
  const keras = join(dir, 'keras_1000_layers.py');
  writeFileSync(keras, kerasModelWithLayers(1000));
  const big = join(dir, 'big_5mb.py');
  // 5 MB in decimal units: the engine's own size limit is 5 MiB, and the issue asks for a 5 MB file analysed.
  const bigFile = bigPythonFile(5_000_000);
  writeFileSync(big, bigFile.text);
  return {
    dir,
    inputs: [
      { id: 'generated 1,000-layer Keras', path: keras, generated: true, expectedLayers: 1000, expectedModels: 1 },
      { id: `generated ${(statSync(big).size / 1e6).toFixed(1)} MB Python`, path: big, generated: true, expectedModels: bigFile.models },
    ],
  };
}
