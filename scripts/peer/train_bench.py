#!/usr/bin/python3
"""PyTorch's side of `affect bench --train`: times training steps on the CPU with the same thread count
as the Java side and prints one JSON line per workload.

  heads:  one step (forward, loss, backward, Adam) of a head on a cached batch of embedding windows
          [B, T, 512]: FC and LSTM heads for VA (CCC), EXPR (CE) and AU (BCE), as the training fixtures define them.
  ddamfn: one DDAMFN fine-tuning step in train mode (CE + 0.1 * attention diversity, Adam lr 1e-4) on
          [N, 3, 112, 112] inputs.
frames/s = frames per step / median step time, after warm-up steps.
--verify instead checks this port against ../shared/fixtures/training and prints its figures
(exit 1 when a check fails)."""
import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

NO_TORCH = 3  # exit status when this interpreter has no torch: the Java side reports its own figures only
try:
    import torch  # noqa: E402
except ImportError as e:
    sys.stderr.write("train_bench: PyTorch is not installed for %s (%s); install Debian's python3-torch\n"
                     % (sys.executable, e))
    sys.exit(NO_TORCH)

import ddamnet  # noqa: E402
import heads  # noqa: E402
import safetensors_io  # noqa: E402

DEFAULT_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "fixtures",
                                "training")


def positive(text):
    v = int(text)
    if v < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got %d" % v)
    return v


def non_negative(text):
    v = int(text)
    if v < 0:
        raise argparse.ArgumentTypeError("must not be negative, got %d" % v)
    return v


def names(allowed):
    def parse(text):
        got = [s.strip() for s in text.split(",") if s.strip()]
        bad = [s for s in got if s not in allowed]
        if bad or not got:
            raise argparse.ArgumentTypeError("expected a comma-separated subset of %s, got %r" % (",".join(allowed), text))
        return got
    return parse


class OneLineErrors(argparse.ArgumentParser):
    """A bad argument is one line on stderr and exit 2, as the affect CLI does."""

    def error(self, message):
        self.exit(2, "train_bench: %s; see --help\n" % message)


def arguments(argv):
    p = OneLineErrors(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=positive, default=os.cpu_count(), help="torch.set_num_threads (default: all CPUs)")
    p.add_argument("--workloads", type=names(["heads", "ddamfn"]), default=["heads", "ddamfn"], help="default: heads,ddamfn")
    p.add_argument("--heads", type=names(["fc", "lstm"]), default=["fc", "lstm"], help="head kinds (default: fc,lstm)")
    p.add_argument("--tasks", type=names(["va", "expr", "au"]), default=["va", "expr", "au"], help="default: va,expr,au")
    p.add_argument("--windows", type=positive, default=32, help="head batch: windows B per step (default: 32)")
    p.add_argument("--window", type=positive, default=10, help="frames T per window (default: 10)")
    p.add_argument("--ddamfn-batch", type=positive, default=32, help="images per DDAMFN step (default: 32)")
    p.add_argument("--steps", type=positive, default=20, help="timed steps per workload (default: 20)")
    p.add_argument("--ddamfn-steps", type=positive, default=5, help="timed DDAMFN steps (default: 5)")
    p.add_argument("--warmup", type=non_negative, default=3, help="untimed steps first (default: 3)")
    p.add_argument("--checkpoint", help="DDAMFN weights to fine-tune (.safetensors, .pth); default: PyTorch's init")
    p.add_argument("--verify", action="store_true", help="check the port against the fixtures instead of timing")
    p.add_argument("--fixtures", default=DEFAULT_FIXTURES, help="the training fixtures folder, for --verify")
    return p.parse_args(argv)


def cpu_capability():
    """The ISA ATen's kernels were dispatched for, from torch's build report (no API for it in 1.13)."""
    m = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


def blas_library():
    """The BLAS torch's Linear/LSTM matmuls went to (Debian's python3-torch uses whatever libblas.so.3
    the alternatives system points at: netlib's reference BLAS unless OpenBLAS/BLIS is installed)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if re.search(r"/lib[^/]*(blas|blis|mkl_rt)[^/]*\.so", line)}
    except OSError:
        return "unknown"
    return ", ".join(sorted(os.path.realpath(x) for x in libs)) or "none loaded"


def describe(threads):
    return {"peer": "pytorch", "torch": torch.__version__, "threads": threads, "cpu_capability": cpu_capability(),
            "mkldnn": torch.backends.mkldnn.is_available(), "blas": blas_library()}


def time_steps(step, warmup, steps):
    """Sorted wall times of `steps` calls in ms, after `warmup` untimed ones."""
    for _ in range(warmup):
        step()
    ms = []
    for _ in range(steps):
        s = time.perf_counter()
        step()
        ms.append((time.perf_counter() - s) * 1e3)
    return sorted(ms)


def figures(ms, frames):
    median = ms[len(ms) // 2]
    return {"frames_per_step": frames, "steps": len(ms), "ms_per_step_median": median,
            "ms_per_step_p10": ms[len(ms) // 10], "ms_per_step_p90": ms[min(len(ms) - 1, len(ms) * 9 // 10)],
            "frames_per_second": frames * 1e3 / median}


def head_step(kind, task, windows, window):
    g = torch.Generator().manual_seed(1)
    head = heads.Head(kind, task)
    x = torch.randn(windows, window, heads.EMBEDDING, generator=g)
    y = heads.random_targets(task, windows * window, g)
    opt = torch.optim.Adam(head.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        heads.loss(task, head(x), y).backward()
        opt.step()
    return step


def load_ddamfn(checkpoint):
    model = ddamnet.DDAMNet(num_class=8, num_head=2)
    if checkpoint is None:
        return model
    if checkpoint.endswith(".safetensors"):
        state = safetensors_io.read(checkpoint)
    else:
        state = torch.load(checkpoint, map_location="cpu")
        state = state.get("model_state_dict", state)
        state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit("train_bench: %s is not an 8-class, 2-head DDAMNet: missing %s, unexpected %s"
                         % (checkpoint, missing[:3], unexpected[:3]))
    return model


def ddamfn_step(checkpoint, batch):
    g = torch.Generator().manual_seed(1)
    model = load_ddamfn(checkpoint)
    model.train()
    images = torch.randn(batch, 3, 112, 112, generator=g)
    labels = torch.randint(0, 8, (batch,), generator=g)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)

    def step():
        opt.zero_grad()
        logits, _, head_maps = model(images)
        ddamnet.fine_tune_loss(logits, head_maps, labels)[0].backward()
        opt.step()
    return step


def main(argv):
    a = arguments(argv)
    if a.verify:
        import verify
        results = verify.run(a.fixtures)
        for r in results:
            print(json.dumps(dict(r, **describe(1))), flush=True)
        return 0 if all(r["ok"] for r in results) else 1
    torch.set_num_threads(a.threads)
    if "heads" in a.workloads:
        for kind in a.heads:
            for task in a.tasks:
                ms = time_steps(head_step(kind, task, a.windows, a.window), a.warmup, a.steps)
                row = {"workload": "head", "head": kind, "task": task, "windows": a.windows, "window": a.window}
                print(json.dumps(dict(row, **figures(ms, a.windows * a.window), **describe(a.threads))), flush=True)
    if "ddamfn" in a.workloads:
        ms = time_steps(ddamfn_step(a.checkpoint, a.ddamfn_batch), min(a.warmup, 1), a.ddamfn_steps)
        row = {"workload": "ddamfn", "batch": a.ddamfn_batch, "checkpoint": a.checkpoint or "pytorch default init"}
        print(json.dumps(dict(row, **figures(ms, a.ddamfn_batch), **describe(a.threads))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
