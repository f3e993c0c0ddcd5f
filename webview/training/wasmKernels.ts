/**
 * Gradient kernels TF.js's WASM backend lacks or gets wrong, built from forward kernels it has.
 *
 * Of what a convolutional network's backward pass needs, tfjs-backend-wasm 4.22 registers Conv2DBackpropInput
 * (the input gradient, a transposed convolution; equal to the CPU kernel in the tests), AvgPoolGrad (equal too)
 * and MaxPoolGrad (wrong: no gradient through a window whose values are all ≤ 0; replaced below), but not
 * Conv2DBackpropFilter: every conv layer's weight gradient failed with "Kernel 'Conv2DBackpropFilter' not
 * registered for backend 'wasm'". The kernel registered here computes it as a forward convolution, which WASM
 * runs through XNNPACK:
 *
 *   dW[kh, kw, c, f] = Σ_{n,i,j} x[n, i·s + kh − top, j·s + kw − left, c] · dy[n, i, j, f]
 *
 * is a convolution of x with batch and channels swapped ([C, H, W, N]) by dy read as a filter ([Ho, Wo, N, F]),
 * dilated by the forward stride, with the forward padding placed explicitly; its [C, KH, KW, F] output,
 * transposed, is dW. Registered as a kernel (not a custom gradient in our network code) so that every caller
 * gets it: TF.js's own conv2d and fused conv2d gradients, tf.grads in the layer statistics, and model.fit in the
 * baseline benchmark.
 *
 * The alternative measured (`filterGradByShiftedMatMuls`, kept for the timing in
 * test/unit/training-wasm-gradients.test.ts): one matMul of each shifted input window with dy per kernel offset.
 * On keras_cnn's shapes (batch 128, Node 20, WASM SIMD) it took 2.6× (conv 1) and 12× (conv 2) as long: the
 * transposed-operand matMul it needs is slow on WASM.
 */
import * as tf from '@tensorflow/tfjs';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface FilterGradAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function convInfo(xShape: number[], attrs: FilterGradAttrs): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(`Conv2DBackpropFilter on wasm: data format ${attrs.dataFormat} is not supported (NHWC only)`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
}

/** dW by one dilated forward convolution over the batch-and-channel-swapped input (the registered kernel). */
export function filterGradBySwappedConv(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: FilterGradAttrs): tf.Tensor4D {
  const info = convInfo(x.shape, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, outHeight: ho, outWidth: wo } = info;
  const { top, left } = info.padInfo;
  // Rows past the input's end that the dilated "filter" dy still reaches before the KH-th output row.
  const bottom = Math.max(0, kh + (ho - 1) * sh - h - top);
  const right = Math.max(0, kw + (wo - 1) * sw - w - left);
  return tf.tidy(() => {
    const xs = tf.transpose(x, [3, 1, 2, 0]); // [C, H, W, N]
    const filter = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, F]
    const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
    let out = tf.conv2d(xs, filter, 1, explicit, 'NHWC', [sh, sw]); // [C, ≥KH, ≥KW, F]
    if (out.shape[1] !== kh || out.shape[2] !== kw) out = tf.slice(out, [0, 0, 0, 0], [-1, kh, kw, -1]);
    return tf.transpose(out, [1, 2, 0, 3]); // [KH, KW, C, F]
  });
}

/** dW by one matMul per kernel offset: the shifted, strided input window (as rows) times dy. Measured against the above. */
export function filterGradByShiftedMatMuls(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: FilterGradAttrs): tf.Tensor4D {
  const info = convInfo(x.shape, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo, inChannels: c, outChannels: f } = info;
  const { top, left, bottom, right } = info.padInfo;
  return tf.tidy(() => {
    const padded = top || left || bottom || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const dyRows = tf.reshape(dy, [-1, f]);
    const parts: tf.Tensor2D[] = [];
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const window = tf.stridedSlice(padded, [0, a, b, 0], [padded.shape[0], a + (ho - 1) * sh + 1, b + (wo - 1) * sw + 1, c], [1, sh, sw, 1]);
        parts.push(tf.matMul(tf.reshape(window, [-1, c]), dyRows, true, false));
      }
    }
    return tf.reshape(tf.stack(parts), [kh, kw, c, f]);
  });
}

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * `t` ([N, Ho, Wo, C]) placed at rows i·s + a − top, columns j·s + b − left of a zero [N, H, W, C]: each value
 * gets s − 1 zeros after it along both axes (a reshape of a padded rank-6 view), then the grid is shifted and cut.
 */
function placeStrided(t: tf.Tensor4D, [h, w]: [number, number], [sh, sw]: [number, number], rowOffset: number, colOffset: number): tf.Tensor4D {
  const [n, ho, wo, c] = t.shape;
  let spread: tf.Tensor4D = t;
  if (sh > 1 || sw > 1) {
    const six = tf.reshape(t, [n, ho, 1, wo, 1, c]);
    spread = tf.reshape(tf.pad(six, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]), [n, ho * sh, wo * sw, c]);
  }
  // Rows [rowOffset, rowOffset + ho·sh) of the output hold `spread`; cut or pad it to [0, h).
  const cropTop = Math.max(0, -rowOffset);
  const cropLeft = Math.max(0, -colOffset);
  const keepH = Math.max(0, Math.min(ho * sh - cropTop, h - Math.max(0, rowOffset)));
  const keepW = Math.max(0, Math.min(wo * sw - cropLeft, w - Math.max(0, colOffset)));
  const cut = tf.slice(spread, [0, cropTop, cropLeft, 0], [n, keepH, keepW, c]);
  const top = Math.max(0, rowOffset);
  const left = Math.max(0, colOffset);
  return tf.pad(cut, [[0, 0], [top, h - top - keepH], [left, w - left - keepW], [0, 0]]);
}

/**
 * The max-pool input gradient from forward ops: dy goes to the first maximum of each window in row-major order,
 * as TF.js's CPU kernel does. Per window offset (a, b): the input values at that offset of every window (a
 * strided slice of the −∞-padded input), those equal to the window's max and not already claimed by an earlier
 * offset, times dy, placed back on the input grid.
 */
export function maxPoolGradFromForwardOps(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, attrs: MaxPoolGradAttrs): tf.Tensor4D {
  const info = tf.backend_util.computePool2DInfo(x.shape, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo, inHeight: h, inWidth: w } = info;
  const { top, left } = info.padInfo;
  if (kh === sh && kw === sw && top === 0 && left === 0 && ho * kh <= h && wo * kw <= w) return tiledMaxPoolGrad(dy, x, [kh, kw]);
  return tf.tidy(() => {
    const bottom = Math.max(0, (ho - 1) * sh + kh - h - top);
    const right = Math.max(0, (wo - 1) * sw + kw - w - left);
    const padded = top || left || bottom || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], -Infinity) : x;
    let claimed: tf.Tensor | undefined;
    let dx: tf.Tensor4D | undefined;
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const at = tf.stridedSlice(padded, [0, a, b, 0], [x.shape[0], a + (ho - 1) * sh + 1, b + (wo - 1) * sw + 1, x.shape[3]], [1, sh, sw, 1]);
        let first = tf.equal(at, y);
        if (claimed) first = tf.logicalAnd(first, tf.logicalNot(claimed));
        claimed = claimed ? tf.logicalOr(claimed, first) : first;
        const part = placeStrided(tf.where(first, dy, tf.zerosLike(dy)), [h, w], [sh, sw], a - top, b - left);
        dx = dx ? tf.add<tf.Tensor4D>(dx, part) : part;
      }
    }
    return dx!;
  });
}

/**
 * The common case, windows that tile the input (pool size = stride, no padding): the input, cut to whole windows,
 * is viewed as [N, Ho, kh, Wo, kw, C], each window's kh·kw values moved last; argMax picks the first maximum (as
 * the CPU kernel does), and its one-hot times dy, moved back, is the gradient. Rows and columns past the last
 * window get zeros.
 */
function tiledMaxPoolGrad(dy: tf.Tensor4D, x: tf.Tensor4D, [kh, kw]: [number, number]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [, ho, wo] = dy.shape;
  return tf.tidy(() => {
    const whole = ho * kh === h && wo * kw === w ? x : tf.slice(x, [0, 0, 0, 0], [n, ho * kh, wo * kw, c]);
    const windows = tf.reshape(tf.transpose(tf.reshape(whole, [n, ho, kh, wo, kw, c]), [0, 1, 3, 5, 2, 4]), [n, ho, wo, c, kh * kw]);
    // oneHot's own float32 output comes back from WASM as int32 bit patterns (1 → 1.4e-45; measured): cast instead.
    const first = tf.cast(tf.oneHot(tf.argMax(windows, 4), kh * kw), 'float32');
    const spread = tf.mul(first, tf.expandDims(dy, 4)); // [N, Ho, Wo, C, kh·kw]
    const back = tf.reshape(tf.transpose(tf.reshape(spread, [n, ho, wo, c, kh, kw]), [0, 1, 4, 2, 5, 3]), [n, ho * kh, wo * kw, c]);
    return ho * kh === h && wo * kw === w ? back : tf.pad(back, [[0, 0], [0, h - ho * kh], [0, w - wo * kw], [0, 0]]);
  }) as tf.Tensor4D;
}

const maxPoolGradKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const { dy, input, output } = inputs as { dy: tf.Tensor4D; input: tf.Tensor4D; output: tf.Tensor4D };
  return maxPoolGradFromForwardOps(dy, input, output, attrs as unknown as MaxPoolGradAttrs);
};

/**
 * Registers the missing gradient kernels for the 'wasm' backend unless one is registered already (ours, or a
 * later TF.js's own); kernels are looked up by backend name, so this may run before or after the backend starts.
 */
export function registerWasmGradientKernels(): void {
  if (tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc !== maxPoolGradKernel) {
    // tfjs-backend-wasm 4.22's own MaxPoolGrad (tensorflow/tfjs#7672) starts each window's maximum at the smallest
    // positive float instead of −∞: a window whose values are all ≤ 0 passes no gradient at all (measured; the
    // test compares it with the CPU kernel on negative inputs). Ours replaces it.
    if (tf.getKernel('MaxPoolGrad', 'wasm')) tf.unregisterKernel('MaxPoolGrad', 'wasm');
    tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGradKernel });
  }
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    // A kernel may return a Tensor (the engine takes it as is): here one made by forward ops, inside a tidy so
    // that only the result survives. The tape is off inside kernels, so these ops record nothing.
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
      return filterGradBySwappedConv(x, dy, attrs as unknown as FilterGradAttrs);
    },
  });
}
