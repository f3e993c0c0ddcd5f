#!/usr/bin/python3
"""The PyTorch peer of the training-throughput benchmark.

Trains the seed MLP (784-128-64-10, ReLU, softmax cross-entropy, Xavier-uniform weights, zero biases) or, with
--model cnn, the convnet of examples/keras_cnn.py (NCHW: Conv2d(1, 32, 3) ReLU, MaxPool2d(2), Conv2d(32, 64, 3)
ReLU, MaxPool2d(2), Flatten, Linear(1600, 128) ReLU, Linear(128, 10); Xavier-uniform weights, zero biases, as
Keras's glorot_uniform defaults) with Adam (lr 0.001, as Keras and TF.js default) in plain PyTorch eager mode on
the CPU, over the same bundled MNIST subset and the same number of samples per epoch as our run, and prints one
JSON object. Both models share the data loading, the epoch loop and its timing below.

Every epoch is timed on its own (time.perf_counter around the shuffle and all of the epoch's steps, each step's
loss read back with .item() as our page reads its losses back); the figure is samples per epoch / the median of
epochs 2..N, the rule the benchmark applies to our per-epoch times from the page, so the first epoch's
allocator, first-touch and kernel-selection costs are left out of both alike.

Default: PyTorch's own thread count and Adam's default implementation. --tuned: threads = the machine's cores
and Adam(foreach=True), PyTorch at its best on this CPU. The JSON says which.

Run with Debian's interpreter, which has python3-torch: /usr/bin/python3 bench/pytorch_mlp.py --batch 32 --epochs 5
(the CNN: /usr/bin/python3 bench/pytorch_mlp.py --model cnn --batch 64 --epochs 5)
"""
import argparse
import gzip
import json
import os
import platform
import statistics
import struct
import time
import zlib

import torch
from torch import nn

HEADER = struct.Struct("<4sHHHHII")  # magic, version, rows, cols, reserved, count, crc32 (scripts/build-dataset.mjs)


def load_subset(path):
    """Reads media/mnist-subset.bin.gz: returns (images float32 [N, 28, 28] in [0, 1], labels int64 [N])."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, version, rows, cols, _reserved, count, crc = HEADER.unpack_from(raw, 0)
    if magic != b"XLMN" or version != 1:
        raise ValueError(f"{path}: not an XLMN v1 subset (magic {magic!r}, version {version})")
    payload = raw[HEADER.size:]
    if len(payload) != count * rows * cols + count:
        raise ValueError(f"{path}: expected {count} images of {rows}x{cols}, payload has {len(payload)} bytes")
    if zlib.crc32(payload) != crc:
        raise ValueError(f"{path}: checksum mismatch")
    pixels = torch.frombuffer(bytearray(payload[: count * rows * cols]), dtype=torch.uint8)
    labels = torch.frombuffer(bytearray(payload[count * rows * cols:]), dtype=torch.uint8)
    return pixels.view(count, rows, cols).float() / 255.0, labels.long()


def seed_mlp():
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(28 * 28, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 10),  # softmax is folded into CrossEntropyLoss, as usual in PyTorch
    )
    return xavier_zero(model)


def keras_cnn():
    """examples/keras_cnn.py in NCHW: 28x28 -conv3-> 26x26x32 -pool2-> 13x13 -conv3-> 11x11x64 -pool2-> 5x5x64 = 1600."""
    model = nn.Sequential(
        nn.Conv2d(1, 32, kernel_size=3), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, kernel_size=3), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 5 * 5, 128), nn.ReLU(),
        nn.Linear(128, 10),  # softmax folded into CrossEntropyLoss
    )
    return xavier_zero(model)


def xavier_zero(model):
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


MODELS = {"mlp": seed_mlp, "cnn": keras_cnn}


def train_epoch(model, optimizer, loss_fn, images, labels, batch, generator):
    order = torch.randperm(images.shape[0], generator=generator)
    total = 0.0
    for start in range(0, images.shape[0], batch):
        idx = order[start:start + batch]
        optimizer.zero_grad()
        loss = loss_fn(model(images[idx]), labels[idx])
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=sorted(MODELS), default="mlp", help="mlp: the seed MLP; cnn: examples/keras_cnn.py")
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--samples", type=int, default=0, help="samples per epoch (default: all of the data)")
    parser.add_argument("--epochs", type=int, default=5, help="epochs, each timed; the figure uses epochs 2..N")
    parser.add_argument("--data", default="media/mnist-subset.bin.gz")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: PyTorch's default)")
    parser.add_argument("--foreach", action="store_true", help="Adam(foreach=True)")
    parser.add_argument("--tuned", action="store_true", help="threads = cores and Adam(foreach=True)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error("--epochs must be at least 2: the figure is the median of epochs 2..N")

    default_threads = torch.get_num_threads()
    threads = args.threads or (os.cpu_count() if args.tuned else 0)
    if threads:
        torch.set_num_threads(threads)
    foreach = args.foreach or args.tuned
    torch.manual_seed(args.seed)

    if os.path.exists(args.data):
        images, labels = load_subset(args.data)
        data_source = args.data
    else:
        count = args.samples or 10000
        images = torch.randint(0, 256, (count, 28, 28), dtype=torch.uint8).float() / 255.0
        labels = torch.randint(0, 10, (count,))
        data_source = f"random uint8 images of the same shape ({args.data} not found)"
    samples = args.samples or images.shape[0]
    if samples > images.shape[0]:
        raise ValueError(f"asked for {samples} samples per epoch, the data has {images.shape[0]}")
    # The bundled subset is ordered by label: take a seeded random subset, not the first rows (which would be
    # a few classes only), as our page takes its training split from a seeded shuffle. Outside the timing.
    keep = torch.randperm(images.shape[0], generator=torch.Generator().manual_seed(args.seed))[:samples]
    images, labels = images[keep].contiguous(), labels[keep].contiguous()
    if args.model == "cnn":
        images = images.unsqueeze(1).contiguous()  # NCHW, one channel

    model = MODELS[args.model]()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, **({"foreach": True} if foreach else {}))
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(args.seed)

    epoch_seconds = []
    for _ in range(args.epochs):
        started = time.perf_counter()
        last_loss_sum = train_epoch(model, optimizer, loss_fn, images, labels, args.batch, generator)
        epoch_seconds.append(time.perf_counter() - started)
    steady = statistics.median(epoch_seconds[1:])

    print(json.dumps({
        "model": args.model,
        "parameters": sum(p.numel() for p in model.parameters()),
        "samplesPerSec": samples / steady,
        "rule": "samples per epoch / median wall time of epochs 2..N",
        "epochSeconds": epoch_seconds,
        "samplesPerEpoch": samples,
        "epochs": args.epochs,
        "batch": args.batch,
        "meanLossLastEpoch": last_loss_sum / -(-samples // args.batch),
        "threads": torch.get_num_threads(),
        "defaultThreads": default_threads,
        "cores": os.cpu_count(),
        "foreach": foreach,
        "tuned": args.tuned,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "data": data_source,
    }))


if __name__ == "__main__":
    main()
