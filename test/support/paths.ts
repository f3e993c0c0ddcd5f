// Where the tests find the repository and its test data: always relative to this file, so a clone alone
// passes `npm test` (no absolute path, nothing outside the repository).
import { resolve } from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The official MNIST files (t10k images and labels, training labels): see its README.md. */
export const MNIST_DIR = resolve(REPO_ROOT, 'test/data/mnist');
