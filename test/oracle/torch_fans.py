"""PyTorch oracle for test/oracle/pytorch.test.ts (run with Debian's /usr/bin/python3, which has torch).

    /usr/bin/python3 torch_fans.py models FILE [FILE...]
    /usr/bin/python3 torch_fans.py lengths < cases.json

`models`: PyTorch itself says which models each FILE has. A file that imports no torch has none (it is not run, so
the Keras examples need no TensorFlow here). Any other file is loaded as a module (its `if __name__ == "__main__"`
block does not run) and every nn.Module subclass it defines (imported classes are not its own) and every nn.Module
instance it binds at module level is listed:
- a class whose __init__ needs no arguments is built; one that needs them is listed with `notBuilt` and the reason;
  a class the file itself builds at module level with no arguments (`netG = Generator()`) is taken as the file
  builds it (re-running the file), so module-level init applied to it (`netG.apply(weights_init)`) counts;
- an instance of one of the file's own classes is that class's model (listed under `instancesOfClasses`);
- any other instance (an nn.Sequential, a torch.nn layer) is a model of its own, rebuilt by re-running the file.
For every named parameter of a built model it prints the shape, numel, the fans from
torch.nn.init._calculate_fan_in_and_fan_out (null where PyTorch refuses), and statistics of the initial values
pooled over several fresh instantiations (so that small tensors still give large draws): mean, std, min, max, max |w|.

`lengths`: for each case {op, n, k, s, p, d, op_pad, ceil} runs the real op (conv1d, max_pool1d, avg_pool1d,
conv_transpose1d) on zeros and prints the output length (null where PyTorch refuses the case).
"""
import ast
import inspect
import json
import math
import runpy
import sys

import torch
from torch import nn

MIN_DRAWS = 20000
MAX_REPEATS = 60
# The module name the files run under: not "__main__", so that their `if __name__ == "__main__"` blocks stay out.
RUN_NAME = "xavier_oracle"


def fans(tensor):
    try:
        fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(tensor)
        return fan_in, fan_out
    except ValueError:
        return None, None


def imports_torch(tree):
    """Whether the file imports torch at all: a file that does not cannot define or build an nn.Module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "torch" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "torch":
            return True
    return False


def imported_names(tree):
    """Names the file binds by import: a module instance reached that way is another file's model, not this one's."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def required_arguments(cls):
    """The __init__ parameters without a default: PyTorch cannot build the class without values for them."""
    signature = inspect.signature(cls)
    return [p.name for p in signature.parameters.values()
            if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def plain_instances(tree):
    """Module-level `name = Class()` (no arguments): class name → the first such variable. The file's own build of
    the class, so that module-level init applied to it afterwards (`net.apply(weights_init)`) is part of what is compared."""
    found = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                and not node.value.args and not node.value.keywords):
            found.setdefault(node.value.func.id, node.targets[0].id)
    return found


def discover(path):
    """Every nn.Module subclass the file defines and every nn.Module instance it binds at module level, as PyTorch sees them."""
    source = open(path, encoding="utf8").read()
    tree = ast.parse(source, path)
    if not imports_torch(tree):
        return {"notRun": "the file imports no torch, so it defines no nn.Module", "models": {}, "instancesOfClasses": {}}
    namespace = runpy.run_path(path, run_name=RUN_NAME)
    imported = imported_names(tree)
    built_by_file = plain_instances(tree)
    models = {}
    instances_of_classes = {}
    for name, obj in namespace.items():
        if isinstance(obj, type) and issubclass(obj, nn.Module) and obj.__module__ == RUN_NAME:
            missing = required_arguments(obj)
            if missing:
                models[name] = {"kind": "class", "notBuilt": f"__init__ needs arguments ({', '.join(missing)}): PyTorch cannot build it without them"}
            elif name in built_by_file:
                variable = built_by_file[name]
                models[name] = {"kind": "class", "builtAs": variable,
                                **describe(lambda: runpy.run_path(path, run_name=RUN_NAME)[variable])}
            else:
                models[name] = {"kind": "class", **describe(obj)}
        elif isinstance(obj, nn.Module) and name not in imported:
            cls = type(obj)
            if cls.__module__ == RUN_NAME:
                # An instance of a class of this file is that class's model, compared under the class's name.
                instances_of_classes[name] = cls.__name__
            else:
                # Re-running the file gives fresh draws of the same initializers, explicit init calls included.
                models[name] = {"kind": "instance", **describe(lambda: runpy.run_path(path, run_name=RUN_NAME)[name])}
    # A class PyTorch cannot build alone is still compared where a built model holds it (its parameters under the
    # parent's names): say which, so the skip of its stand-alone comparison needs no allow-list entry.
    for name, model in models.items():
        if "notBuilt" in model:
            model["insideOf"] = sorted(parent for parent, other in models.items() if name in other.get("holds", []))
    return {"models": models, "instancesOfClasses": instances_of_classes}


def describe(factory):
    first = factory()
    params = list(first.named_parameters())
    # A tensor of several entries that came out all equal was filled, not drawn: more builds would add nothing but
    # time (each rebuild draws every other tensor again), so only the drawn tensors decide how many builds to pool.
    drawn_sizes = [p.numel() for _, p in params if p.numel() < 2 or p.min().item() != p.max().item()]
    smallest = min(drawn_sizes, default=MIN_DRAWS)
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
            "min": values.min().item(),
            "max": values.max().item(),
            "maxAbs": values.abs().max().item(),
        })
    holds = sorted({type(m).__name__ for m in first.modules() if m is not first and type(m).__module__ == RUN_NAME})
    return {"params": out, "total": sum(p.numel() for _, p in params), "holds": holds}


def models(paths):
    torch.manual_seed(0)
    print(json.dumps({"torch": torch.__version__, "files": {path: discover(path) for path in paths}}))


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
