"""--verify: proves the PyTorch side computes what the Java side is held to, against the golden files
of ../shared/fixtures/training (tolerances from its README): the head cases (5 optimiser steps, losses)
and ddamfn_step (train-mode forward, loss, the six saved gradients, Adam update, BN running stats)."""
import json
import os

import numpy as np
import torch

import ddamnet
import heads
import safetensors_io

HEAD_CASES = ["fc_va_adam", "fc_expr_adam", "fc_au_adam", "lstm_va_adam", "lstm_expr_adam", "lstm_au_adamw"]


def _npy(folder, name):
    return torch.from_numpy(np.load(os.path.join(folder, name)))


def verify_head(folder):
    case = os.path.basename(folder)
    kind, task, optimiser = case.split("_")
    head = heads.Head(kind, task)
    head.load_state_dict(safetensors_io.read(os.path.join(folder, "init.safetensors")))
    x, y = _npy(folder, "x.npy"), _npy(folder, "y.npy")
    y = y.reshape(-1) if task == "expr" else y.reshape(-1, heads.OUTPUTS[task])
    if optimiser == "adamw":
        opt = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=0.5)
    else:
        opt = torch.optim.Adam(head.parameters(), lr=1e-3)
    expected = json.load(open(os.path.join(folder, "losses.json")))["losses"]
    got = []
    for _ in expected:
        opt.zero_grad()
        loss = heads.loss(task, head(x), y)
        got.append(loss.item())
        loss.backward()
        opt.step()
    rel = max(abs(a - b) / abs(b) for a, b in zip(got, expected))
    final = safetensors_io.read(os.path.join(folder, "final.safetensors"))
    state = head.state_dict()
    # (W1) pooled: at least 99.99% of all elements within 1e-6 + 1e-4*|b|
    outside = sum(int(((state[k] - v).abs() > 1e-6 + 1e-4 * v.abs()).sum()) for k, v in final.items())
    total = sum(v.numel() for v in final.values())
    ok = rel <= 1e-4 and outside / total <= 1e-4
    return {"check": case, "ok": ok, "losses_max_rel_dev": rel, "tolerance_losses_rel": 1e-4,
            "final_weights_frac_outside": outside / total, "tolerance_frac_outside": 1e-4}


def verify_ddamfn(folder):
    model = ddamnet.DDAMNet(num_class=8, num_head=2)
    missing, unexpected = model.load_state_dict(safetensors_io.read(os.path.join(folder, "init.safetensors")), strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit("verify: the port's state_dict keys differ from the fixture's: missing %s, unexpected %s"
                         % (missing[:5], unexpected[:5]))
    model.train()
    images, labels = _npy(folder, "images.npy"), _npy(folder, "labels.npy")
    logits, _, head_maps = model(images)
    loss, ce, att = ddamnet.fine_tune_loss(logits, head_maps, labels)
    want = json.load(open(os.path.join(folder, "losses.json")))
    ref_logits = _npy(folder, "logits.npy")
    logits_dev = (logits.detach() - ref_logits).abs().max().item() / ref_logits.abs().max().item()
    loss_rel = {k: abs(v.item() - want[w]) / abs(want[w]) for k, v, w in
                (("loss", loss, "loss"), ("ce", ce, "ce"), ("attention", att, "att_loss"))}
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    opt.zero_grad()
    loss.backward()
    params = dict(model.named_parameters())
    grad_dev, update_ok = {}, True
    saved = {k: params[k].grad.clone() for k in safetensors_io.read(os.path.join(folder, "updated_params.safetensors"))}
    opt.step()
    updated_ref = safetensors_io.read(os.path.join(folder, "updated_params_f64ref.safetensors"))
    for k, g in saved.items():
        ref = _npy(os.path.join(folder, "grads_f64ref"), k + ".npy")
        grad_dev[k] = (g - ref).abs().max().item() / ref.abs().max().item()
        # well-conditioned elements move as the reference does; every element by at most 2*lr
        d = (params[k].detach() - updated_ref[k]).abs()
        well = ref.abs() >= 1e-2 * ref.abs().max()
        frac_ok = float((d[well] <= 1e-6 + 1e-4 * updated_ref[k].abs()[well]).float().mean())
        update_ok &= frac_ok >= 0.999 and float(d.max()) <= 2e-4 + 1e-6
    grads_ok = all(v <= (1e-2 if k.startswith("features.") else 1e-4) for k, v in grad_dev.items())
    running = safetensors_io.read(os.path.join(folder, "bn_running.safetensors"))
    buffers = dict(model.named_buffers())
    bn_worst = max(float(((buffers[k] - v).abs() - 1e-4 * v.abs()).max()) for k, v in running.items())
    ok = logits_dev <= 1e-4 and max(loss_rel.values()) <= 1e-4 and grads_ok and update_ok and bn_worst <= 1e-6
    return {"check": "ddamfn_step", "ok": ok, "logits_max_abs_dev_over_max_abs": logits_dev,
            "tolerance_logits": 1e-4, "loss_rel_dev": loss_rel, "tolerance_loss_rel": 1e-4,
            "grads_max_abs_dev_over_max_abs_vs_f64ref": grad_dev,
            "tolerance_grads": "1e-2 features.*, 1e-4 others", "updated_params_ok": update_ok,
            "bn_running_tensors": len(running), "bn_running_worst_excess_over_1e-4_rel": bn_worst,
            "tolerance_bn_running_abs": 1e-6}


def run(fixtures):
    torch.set_num_threads(1)  # as the fixtures were made
    results = [verify_head(os.path.join(fixtures, c)) for c in HEAD_CASES]
    results.append(verify_ddamfn(os.path.join(fixtures, "ddamfn_step")))
    return results
