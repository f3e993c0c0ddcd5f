"""PyTorch oracle for notebooks (test/oracle/notebook.test.ts), run with Debian's /usr/bin/python3 (python3-torch).

    /usr/bin/python3 torch_notebook.py NOTEBOOK.ipynb NAME[,NAME...]

Runs the notebook's code cells in order in one namespace, as a kernel would, and prints JSON: for each NAME (an
nn.Module subclass, instantiated with no arguments, or an nn.Module instance the cells made) every named
parameter's shape, numel, fans from torch.nn.init._calculate_fan_in_and_fan_out, and statistics of its initial
values pooled over fresh instantiations.

IPython is not installed here, so its syntax is removed the way IPython recognises it, by a line's first
character: line magics (%), shell escapes (!), help (?), `x = !cmd`. A %%time-style cell runs its body; any
other %% cell is another language and is not run. This is written independently of the engine's own blanking
(src/analysis/notebook.ts), so the two are compared rather than one trusted.
"""
import json
import os
import sys

import torch
from torch import nn

# The same pooled draws and fans as the file oracle (torch_fans.py, beside this file).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_fans import describe  # noqa: E402

PYTHON_BODY_MAGICS = {"time", "timeit", "capture", "prun", "debug", "python", "python3"}


def is_ipython(line):
    s = line.strip()
    if s.startswith(("%", "!", "?")):
        return True
    if s.endswith("?") and s.rstrip("?").replace(".", "").replace("_", "a").isalnum():
        return True
    left, eq, right = s.partition("=")
    return bool(eq) and left.strip().replace(",", "").replace(" ", "").isidentifier() and right.lstrip().startswith(("!", "%"))


def python_of(source):
    lines = source.split("\n")
    first = next((l.strip() for l in lines if l.strip()), "")
    if first.startswith("%%"):
        if first[2:].split()[0] not in PYTHON_BODY_MAGICS:
            return None
    # Keep the indentation so that a block whose only statement was a magic stays a block.
    return "\n".join(l[: len(l) - len(l.lstrip())] + "pass" if is_ipython(l) else l for l in lines)


def run_cells(path):
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    namespace = {"__name__": "__main__"}
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        code = python_of(source)
        if code is not None:
            exec(compile(code, f"<cell {index + 1}>", "exec"), namespace)
    return namespace


def factory_for(path, namespace, name):
    obj = namespace[name]
    if isinstance(obj, type) and issubclass(obj, nn.Module):
        return lambda: obj()
    if isinstance(obj, nn.Module):
        return lambda: run_cells(path)[name]
    raise TypeError(f"{name} is not an nn.Module or an nn.Module subclass")


def main():
    torch.manual_seed(0)
    path, names = sys.argv[1], sys.argv[2].split(",")
    namespace = run_cells(path)
    print(json.dumps({"torch": torch.__version__, "models": {n: describe(factory_for(path, namespace, n)) for n in names}}))


if __name__ == "__main__":
    main()
