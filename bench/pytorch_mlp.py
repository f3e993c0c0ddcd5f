#!/usr/bin/python3
"""The PyTorch peer of the training-throughput benchmark.

Trains the seed MLP (784-128-64-10, ReLU, softmax cross-entropy, Xavier-uniform weights, zero biases) with
Adam (lr 0.001, as Keras and TF.js default) in plain PyTorch eager mode on the CPU, over the same bundled
MNIST subset and the same number of samples per epoch as our run, and prints one JSON object.

Every epoch is timed on its own (time.perf_counter around the shuffle and all of the epoch's steps, each step's
loss read back with .item() as our page reads its losses back); the figure is samples per epoch / the median of
epochs 2..N, the rule the benchmark applies to our per-epoch times from the page, so the first epoch's
allocator, first-touch and kernel-selection costs are left out of both alike.

Default: PyTorch's own thread count and Adam's default implementation. --tuned: threads = the machine's cores
and Adam(foreach=True), PyTorch at its best on this CPU. The JSON says which.

Run with Debian's interpreter, which has python3-torch: /usr/bin/python3 bench/pytorch_mlp.py --batch 32 --epochs 5
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
    images, labels = images[:samples].contiguous(), labels[:samples].contiguous()

    model = seed_mlp()
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
