#!/usr/bin/python3
"""The PyTorch peer of the training-throughput benchmark.

Trains the seed MLP (784-128-64-10, ReLU, softmax cross-entropy, Xavier-uniform weights, zero biases) with
Adam (lr 0.001, as Keras and TF.js default) in plain PyTorch eager mode on the CPU, over the same bundled
MNIST subset and the same number of samples per epoch as our run, and prints one JSON object.

Samples/s counts only the timed epochs: the first `--warmup-epochs` epochs are run but not timed (allocator,
first-touch and kernel-selection costs). Threads: PyTorch's own default unless --threads is given; the figure
reports which.

Run with Debian's interpreter, which has python3-torch: /usr/bin/python3 bench/pytorch_mlp.py --batch 32
"""
import argparse
import gzip
import json
import os
import platform
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
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


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
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--samples", type=int, default=0, help="samples per epoch (default: all of the data)")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs")
    parser.add_argument("--warmup-epochs", type=int, default=1)
    parser.add_argument("--data", default="media/mnist-subset.bin.gz")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: PyTorch's default)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    default_threads = torch.get_num_threads()
    if args.threads:
        torch.set_num_threads(args.threads)
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
    images, labels = images[:samples].contiguous(), labels[:samples].contiguous()

    model = seed_mlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(args.seed)

    for _ in range(args.warmup_epochs):
        train_epoch(model, optimizer, loss_fn, images, labels, args.batch, generator)
    started = time.perf_counter()
    for _ in range(args.epochs):
        last_loss_sum = train_epoch(model, optimizer, loss_fn, images, labels, args.batch, generator)
    seconds = time.perf_counter() - started

    print(json.dumps({
        "samplesPerSec": samples * args.epochs / seconds,
        "seconds": seconds,
        "samplesPerEpoch": samples,
        "timedEpochs": args.epochs,
        "warmupEpochs": args.warmup_epochs,
        "batch": args.batch,
        "meanLossLastEpoch": last_loss_sum / -(-samples // args.batch),
        "threads": torch.get_num_threads(),
        "defaultThreads": default_threads,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "data": data_source,
    }))


if __name__ == "__main__":
    main()
