/**
 * The numeric core's internal consistency: the named initializers are the variance-scaling cases they claim to
 * be, the truncation constant is what the truncated-normal formula gives, Keras corrects and TF.js does not, and
 * the framework conventions for fans differ where the frameworks differ. (The frameworks themselves confirm the
 * values in test/oracle/.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRUNCATED_NORMAL_STD_RATIO, computeFans, defaultInitializer, erf, glorotNormalActualStd, glorotNormalStd, glorotUniformLimit,
  initializerInUse, kerasVarianceScaling, torchGain, truncatedStandardNormalStd,
} from '../../src/analysis/initializers';
import { readKerasFamilyInitializer, readTorchInitCall } from '../../src/analysis/initializerValues';
import { kerasSnakeName } from '../../src/analysis/report';
import type { Argument, Value } from '../../src/analysis/ir';

const close = (a: number | null | undefined, b: number, tolerance = 1e-12) => {
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);
};
const zero = { line: 0, column: 0 };
const arg = (value: Value, name?: string): Argument => ({ name, value, range: { start: zero, end: zero }, valueRange: { start: zero, end: zero } });
const num = (value: number): Value => ({ kind: 'number', value });
const str = (value: string): Value => ({ kind: 'string', value });

test('the 2σ truncation constant is the std of N(0,1) cut to [-2, 2]', () => {
  close(truncatedStandardNormalStd(-2, 2), TRUNCATED_NORMAL_STD_RATIO, 1e-12);
  close(truncatedStandardNormalStd(-Infinity, Infinity), 1, 1e-12);
  close(erf(0.5) + erf(-0.5), 0);
  assert.ok(truncatedStandardNormalStd(-1, 1) < truncatedStandardNormalStd(-3, 3));
});

test('glorot/he/lecun are variance scaling with (1, fan_avg), (2, fan_in), (1, fan_in)', () => {
  const fans = { fanIn: 784, fanOut: 128 };
  const ctx = { framework: 'keras' as const, shape: [784, 128], fans };
  close(initializerInUse(kerasVarianceScaling('glorot', 'uniform', true), ctx).limit, glorotUniformLimit(784, 128));
  close(initializerInUse(kerasVarianceScaling('glorot', 'normal', true), ctx).actualStd, glorotNormalStd(784, 128));
  close(initializerInUse(kerasVarianceScaling('he', 'normal', true), ctx).actualStd, Math.sqrt(2 / 784));
  close(initializerInUse(kerasVarianceScaling('lecun', 'uniform', true), ctx).limit, Math.sqrt(3 / 784));
});

test('Keras corrects its truncated normal, TF.js 4.22 does not', () => {
  const fans = { fanIn: 784, fanOut: 128 };
  const keras = initializerInUse(readKerasFamilyInitializer(str('glorot_normal'), 'keras')!.spec, { framework: 'keras', shape: [784, 128], fans });
  const tfjs = initializerInUse(readKerasFamilyInitializer(str('glorotNormal'), 'tfjs')!.spec, { framework: 'tfjs', shape: [784, 128], fans });
  close(keras.actualStd, glorotNormalStd(784, 128));
  close(keras.std, glorotNormalStd(784, 128) / TRUNCATED_NORMAL_STD_RATIO);
  close(tfjs.std, glorotNormalStd(784, 128));
  close(tfjs.actualStd, glorotNormalStd(784, 128) * TRUNCATED_NORMAL_STD_RATIO);
  close(glorotNormalActualStd(784, 128, 'tfjs'), tfjs.actualStd!);
  assert.equal(defaultInitializer('keras', 'kernel', 'dense').name, 'glorot_uniform');
  assert.equal(defaultInitializer('tfjs', 'kernel', 'dense').name, 'glorotNormal');
});

test('initializers as written: strings, class calls, TF.js config objects, JSON objects, PyTorch init calls', () => {
  const fans = { fanIn: 100, fanOut: 50 };
  const ctx = { framework: 'keras' as const, shape: [100, 50], fans };
  const call = readKerasFamilyInitializer({ kind: 'call', callee: 'keras.initializers.RandomNormal', args: [arg(num(0.01), 'stddev')] }, 'keras')!;
  assert.equal(initializerInUse(call.spec, ctx).std, 0.01);
  const positional = readKerasFamilyInitializer({ kind: 'call', callee: 'initializers.Constant', args: [arg(num(0.5))] }, 'keras')!;
  assert.equal(initializerInUse(positional.spec, ctx).value, 0.5);
  const tfjsConfig = readKerasFamilyInitializer({ kind: 'call', callee: 'tf.initializers.randomUniform', args: [arg({ kind: 'object', entries: { minval: num(-0.2), maxval: num(0.2) } })] }, 'tfjs')!;
  close(initializerInUse(tfjsConfig.spec, { ...ctx, framework: 'tfjs' }).limit, 0.2);
  const json = readKerasFamilyInitializer({ kind: 'object', entries: { class_name: str('VarianceScaling'), config: { kind: 'object', entries: { scale: num(2), mode: str('fan_out'), distribution: str('uniform') } } } }, 'keras')!;
  close(initializerInUse(json.spec, ctx).limit, Math.sqrt(6 / 50));
  const xavier = readTorchInitCall({ fn: 'nn.init.xavier_uniform_', args: [arg({ kind: 'symbolic', text: 'm.weight' }), arg({ kind: 'call', callee: 'nn.init.calculate_gain', args: [arg(str('tanh'))] }, 'gain')] });
  close(initializerInUse(xavier.spec, { framework: 'pytorch', shape: [50, 100], fans }).limit, (5 / 3) * Math.sqrt(6 / 150));
  const kaiming = readTorchInitCall({ fn: 'torch.nn.init.kaiming_normal_', args: [arg({ kind: 'symbolic', text: 'w' }), arg(str('fan_out'), 'mode'), arg(str('relu'), 'nonlinearity')] });
  close(initializerInUse(kaiming.spec, { framework: 'pytorch', shape: [50, 100], fans }).std, Math.sqrt(2) / Math.sqrt(50));
  assert.equal(readKerasFamilyInitializer({ kind: 'symbolic', text: 'my_init' }, 'keras')!.spec.kind, 'unknown');
  assert.equal(torchGain('leaky_relu', 0.2), Math.sqrt(2 / 1.04));
});

test('fan conventions: Keras (in, out) and rf over leading dims, PyTorch (out, in) and rf over trailing dims', () => {
  assert.deepEqual(computeFans([3, 3, 16, 32], 'keras'), { fanIn: 144, fanOut: 288 });
  assert.deepEqual(computeFans([32, 16, 3, 3], 'pytorch'), { fanIn: 144, fanOut: 288 });
  assert.deepEqual(computeFans([7], 'keras'), { fanIn: 7, fanOut: 7 });
  assert.deepEqual(computeFans([16], 'tfjs'), { fanIn: 4, fanOut: 4 });
  assert.equal(computeFans([7], 'pytorch').fanIn, null);
  assert.deepEqual(computeFans(['hidden', 10], 'keras'), { fanIn: 'hidden', fanOut: 10 });
  assert.deepEqual(computeFans([3, 3, 'c', 8], 'keras'), { fanIn: 'c*9', fanOut: 72 });
});

test('Keras auto-names: snake_case of the class name', () => {
  assert.equal(kerasSnakeName('Conv2DTranspose'), 'conv2d_transpose');
  assert.equal(kerasSnakeName('SimpleRNN'), 'simple_rnn');
  assert.equal(kerasSnakeName('BatchNormalization'), 'batch_normalization');
  assert.equal(kerasSnakeName('GlobalAveragePooling2D'), 'global_average_pooling2d');
  assert.equal(kerasSnakeName('LSTM'), 'lstm');
});
