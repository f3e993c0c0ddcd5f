"""PyTorch oracle for test/oracle/pytorch.test.ts (run with Debian's /usr/bin/python3, which has torch).

    /usr/bin/python3 torch_fans.py models FILE=NAME[,NAME...] [FILE=NAME...]
    /usr/bin/python3 torch_fans.py lengths < cases.json

`models`: loads each FILE as a module (its `if __name__ == "__main__"` block does not run), takes each NAME
(an nn.Module subclass, instantiated with no arguments, or a module-level nn.Module instance) and prints JSON:
for every named parameter its shape, numel, the fans from torch.nn.init._calculate_fan_in_and_fan_out (null
where PyTorch refuses), and statistics of its initial values pooled over several fresh instantiations (so that
small tensors still give large draws).

`lengths`: for each case {op, n, k, s, p, d, op_pad, ceil} runs the real op (conv1d, max_pool1d, avg_pool1d,
conv_transpose1d) on zeros and prints the output length (null where PyTorch refuses the case).
"""
import json
import math
import runpy
import sys

import torch
from torch import nn

MIN_DRAWS = 20000
MAX_REPEATS = 60


def fans(tensor):
    try:
        fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(tensor)
        return fan_in, fan_out
    except ValueError:
        return None, None


def instantiate(namespace, name):
    obj = namespace[name]
    if isinstance(obj, type) and issubclass(obj, nn.Module):
        return lambda: obj()
    if isinstance(obj, nn.Module):
        # A module-level instance: re-run its own reset so that repeats are fresh draws of the same initializers.
        path = namespace["__file__"]
        return lambda: runpy.run_path(path, run_name="xavier_oracle")[name]
    raise TypeError(f"{name} is not an nn.Module or an nn.Module subclass")


def describe(factory):
    first = factory()
    params = list(first.named_parameters())
    smallest = min((p.numel() for _, p in params), default=1)
    repeats = max(1, min(MAX_REPEATS, math.ceil(MIN_DRAWS / max(1, smallest))))
    pooled = {n: [p.detach().flatten().double()] for n, p in params}
    for _ in range(repeats - 1):
        for n, p in factory().named_parameters():
            if sum(t.numel() for t in pooled[n]) < MIN_DRAWS:
                pooled[n].append(p.detach().flatten().double())
    out = []
    for n, p in params:
        values = torch.cat(pooled[n])
        fan_in, fan_out = fans(p)
        out.append({
            "name": n,
            "shape": list(p.shape),
            "numel": p.numel(),
            "fanIn": fan_in,
            "fanOut": fan_out,
            "draws": values.numel(),
            "mean": values.mean().item(),
            "std": values.std(unbiased=False).item(),
            "maxAbs": values.abs().max().item(),
        })
    return {"params": out, "total": sum(p.numel() for _, p in params)}


def models(specs):
    torch.manual_seed(0)
    result = {"torch": torch.__version__, "files": {}}
    for spec in specs:
        path, names = spec.rsplit("=", 1)
        namespace = runpy.run_path(path, run_name="xavier_oracle")
        namespace["__file__"] = path
        result["files"][path] = {name: describe(instantiate(namespace, name)) for name in names.split(",")}
    print(json.dumps(result))


def length(case):
    x = torch.zeros(1, 1, case["n"])
    op = case["op"]
    try:
        if op == "conv":
            y = torch.nn.functional.conv1d(x, torch.zeros(1, 1, case["k"]), stride=case["s"], padding=case["p"], dilation=case["d"])
        elif op == "max_pool":
            y = torch.nn.functional.max_pool1d(x, case["k"], stride=case["s"], padding=case["p"], dilation=case["d"], ceil_mode=case["ceil"])
        elif op == "avg_pool":
            y = torch.nn.functional.avg_pool1d(x, case["k"], stride=case["s"], padding=case["p"], ceil_mode=case["ceil"])
        elif op == "conv_transpose":
            y = torch.nn.functional.conv_transpose1d(x, torch.zeros(1, 1, case["k"]), stride=case["s"], padding=case["p"],
                                                     output_padding=case["op_pad"], dilation=case["d"])
        else:
            raise ValueError(op)
    except RuntimeError:
        return None
    return y.shape[-1]


def main():
    if sys.argv[1] == "lengths":
        print(json.dumps([length(c) for c in json.load(sys.stdin)]))
    else:
        models(sys.argv[2:])


if __name__ == "__main__":
    main()
