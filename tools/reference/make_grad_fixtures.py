"""Gradient-parity fixtures: tiny LMs exported by PyTorch's own ONNX exporter + autograd gradients.

For each architecture this writes artifacts/fixtures/grad/<name>/:
  model.onnx          the exported forward (input_ids -> logits), opset 17, initializers inline
  batch.safetensors   input_ids I64 [2,8], labels I64 [2,8] (labels[b,t] = target of logits[b,t], -100 = ignored)
  expected.safetensors  loss F32 [] and, per trainable ONNX initializer, its gradient F32 in the
                      initializer's own layout, keyed by the initializer's name
  logits.safetensors  logits F32 [2,8,vocab] of the same model on the same batch (forward check)
  info.json           parameter <-> initializer map, transposes, non-parameter initializers, ties,
                      op types of the graph
Loss, gradients and logits are computed in float64 on the exported float32 weights, stored as float32.

Run: /usr/bin/python3 tools/reference/make_grad_fixtures.py
"""
import copy
import io
import json
import os
import sys
from collections import Counter

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
import tiny_models  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_ROOT = os.path.join(REPO, "artifacts", "fixtures", "grad")

OPSET = 17
BATCH, SEQ, VOCAB = 2, 8, 96
IGNORE = -100
# Leading label positions masked per row, as a prompt would be.
PROMPT_LENGTHS = (2, 3)
MATRIX_STD, EMBED_STD, BIAS_STD, NORM_STD = 0.1, 0.3, 0.05, 0.1
# A float64 gradient below this share of the largest gradient norm is zero up to rounding.
ZERO_GRAD_RATIO = 1e-12
EMBED_NAMES = ("wte", "wpe", "embed_tokens", "embed_positions")

# name -> (architecture description, constructor, do_constant_folding, seed, batch seed)
FIXTURES = {
    "gpt2": ("GPT-2 (Conv1D/addmm, fused c_attn + split, gelu_new, LayerNorm, learned positions, "
             "bool tril buffer + where causal mask, lm_head tied to wte)",
             tiny_models.GPT2LMHeadModel, False, 11, 101),
    "gpt2_folded": ("the gpt2 fixture's model and batch exported with constant folding, which folds the "
                    "head's Transpose(wte) into a second initializer and so unties the head",
                    tiny_models.GPT2LMHeadModel, True, 11, 101),
    "llama_hf": ("Llama as transformers writes it (hand RMSNorm with rsqrt, rotate-half RoPE from positions "
                 "in the forward, GQA 4 heads over 2 kv heads via expand+reshape, SiLU-gated MLP, additive "
                 "finfo.min causal mask, untied lm_head)",
                 tiny_models.LlamaForCausalLM, True, 12, 102),
    "opt_like": ("OPT-350m-like post-LN decoder (nn.LayerNorm, learned positions with offset 2, nn.Linear with "
                 "biases, q scaled before bmm, triu(-inf) additive mask + max(finfo.min), erf GELU, untied head)",
                 tiny_models.OPTForCausalLM, True, 13, 103),
}
# Tied parameters: torch name -> {use: name of the separate leaf in the untied float64 twin}.
TIES = {"GPT2LMHeadModel": {"transformer.wte.weight": {"embedding": "transformer.wte.weight",
                                                       "head": "lm_head.weight"}}}


def init_weights(model, seed):
    """Random values everywhere (norm weights 1 + noise, biases non-zero) so every parameter is unique."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                std = EMBED_STD if any(e in name for e in EMBED_NAMES) else MATRIX_STD
                p.copy_(torch.randn(p.shape, generator=g) * std)
            elif name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=g) * BIAS_STD)
            else:
                p.copy_(1.0 + torch.randn(p.shape, generator=g) * NORM_STD)


def make_batch(seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, VOCAB, (BATCH, SEQ), generator=g, dtype=torch.int64)
    labels = torch.full_like(ids, IGNORE)
    labels[:, :-1] = ids[:, 1:]
    for b, n in enumerate(PROMPT_LENGTHS):
        labels[b, :n] = IGNORE
    return ids, labels


def export(model, ids, fold):
    buf = io.BytesIO()
    torch.onnx.export(model, (ids,), buf, opset_version=OPSET, input_names=["input_ids"],
                      output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"}},
                      do_constant_folding=fold)
    return onnx.load_from_string(buf.getvalue())


def consumers(graph, name):
    return [n for n in graph.node if name in n.input]


def map_initializers(model, onnx_model):
    """Match every ONNX initializer to a torch parameter by value (equal, or equal to the transpose)."""
    params = {n: p.detach().numpy() for n, p in model.named_parameters()}
    buffers = {n: b.detach().numpy() for n, b in model.named_buffers()}
    mapped, others = [], []
    for init in onnx_model.graph.initializer:
        arr = numpy_helper.to_array(init)
        hit = None
        if arr.dtype == np.float32:
            for pname, pval in params.items():
                if arr.shape == pval.shape and np.array_equal(arr, pval):
                    hit = (pname, False)
                elif arr.ndim == 2 and arr.shape == pval.T.shape and np.array_equal(arr, pval.T):
                    hit = (pname, True)
                if hit:
                    break
        if hit:
            mapped.append({"onnx": init.name, "torch": hit[0], "transposed": hit[1], "shape": list(arr.shape),
                           "consumers": sorted({n.op_type for n in consumers(onnx_model.graph, init.name)})})
        else:
            entry = {"onnx": init.name, "dtype": str(arr.dtype), "shape": list(arr.shape)}
            same = [b for b, v in buffers.items() if arr.shape == v.shape and np.array_equal(arr, v)]
            if same:
                entry["torch_buffers"] = same
            others.append(entry)
    missing = set(params) - {m["torch"] for m in mapped}
    if missing:
        raise RuntimeError(f"parameters with no ONNX initializer: {sorted(missing)}")
    return mapped, others


def float64_twin(model):
    """Same weights in float64; tied parameters become separate leaves so each use has its own grad."""
    twin = copy.deepcopy(model).double()
    for tied in TIES.get(type(model).__name__, {}).values():
        for leaf in tied.values():
            owner_name, attr = leaf.rsplit(".", 1)
            owner = twin.get_submodule(owner_name)
            setattr(owner, attr, torch.nn.Parameter(getattr(owner, attr).detach().clone()))
    return twin


def loss_and_grads(model, ids, labels):
    model.zero_grad(set_to_none=True)
    logits = model(ids)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE)
    loss.backward()
    return logits.detach(), loss.detach(), {n: p.grad.detach().clone() for n, p in model.named_parameters()}


def gradient_path_ops(onnx_model, trainable):
    """Op types of the nodes that lie on a float data path from a trainable initializer to an output.

    These are the ops that need gradient rules; the rest only compute shapes, indices or masks.
    """
    inferred = onnx.shape_inference.infer_shapes(onnx_model)
    elem = {v.name: v.type.tensor_type.elem_type for v in
            list(inferred.graph.value_info) + list(inferred.graph.output) + list(inferred.graph.input)}
    floats = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16}
    tainted = set(trainable)
    nodes = list(onnx_model.graph.node)
    for n in nodes:  # exporter output is topologically sorted
        if any(i in tainted for i in n.input):
            tainted.update(o for o in n.output if elem.get(o) in floats)
    needed = {o.name for o in onnx_model.graph.output}
    on_path = []
    for n in reversed(nodes):
        if any(o in needed and o in tainted for o in n.output):
            on_path.append(n)
            needed.update(i for i in n.input if i in tainted)
    return dict(sorted(Counter(n.op_type for n in on_path).items()))


def float_constant_tables(onnx_model):
    """Constant nodes holding float tensors with more than one element (e.g. folded RoPE frequencies)."""
    out = []
    for n in onnx_model.graph.node:
        if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
            arr = numpy_helper.to_array(n.attribute[0].t)
            if arr.dtype.kind == "f" and arr.size > 1:
                out.append({"output": n.output[0], "dtype": str(arr.dtype), "shape": list(arr.shape)})
    return out


def zero_gradients(grads):
    """Initializers whose gradient vanishes in exact arithmetic (float64 norm ~1e-18, not a real signal)."""
    scale = max(float(g.norm()) for g in grads.values())
    return sorted(k for k, g in grads.items() if float(g.norm()) < ZERO_GRAD_RATIO * scale)


def use_of(entry):
    return "embedding" if entry["consumers"] == ["Gather"] else (
        "head" if "Gather" not in entry["consumers"] else "both")


def onnx_gradients(model, mapped, grads64):
    """Gradient per mapped initializer, in the initializer's layout; tied uses are resolved per consumer."""
    ties = TIES.get(type(model).__name__, {})
    out, used = {}, Counter()
    for m in mapped:
        if m["torch"] in ties:
            uses = ties[m["torch"]]
            which = list(uses) if use_of(m) == "both" else [use_of(m)]
            g = sum(grads64[uses[u]] for u in which)
            m["tied_uses"] = which
            used.update(which)
        else:
            g = grads64[m["torch"]]
        out[m["onnx"]] = g.T.contiguous() if m["transposed"] else g
    for pname, uses in ties.items():
        if any(used[u] != 1 for u in uses):
            raise RuntimeError(f"tied parameter {pname}: uses covered {dict(used)}, expected each once")
    return out


def rel_l2(a, b):
    a, b = a.double(), b.double()
    return float((a - b).norm() / b.norm()) if float(b.norm()) > 0 else float((a - b).norm())


def build(name, spec):
    arch, ctor, fold, seed, batch_seed = spec
    out = os.path.join(OUT_ROOT, name)
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(seed)
    model = ctor().eval()
    init_weights(model, seed)
    ids, labels = make_batch(batch_seed)

    onnx_model = export(model, ids, fold)
    onnx.checker.check_model(onnx_model, full_check=True)
    path = os.path.join(out, "model.onnx")
    onnx.save(onnx_model, path)
    onnx.checker.check_model(path, full_check=True)

    mapped, others = map_initializers(model, onnx_model)
    twin = float64_twin(model)
    logits64, loss64, grads64 = loss_and_grads(twin, ids, labels)
    grads = onnx_gradients(model, mapped, grads64)

    # The float32 gap says how close a float32 implementation can be expected to get.
    twin32 = float64_twin(model).float()
    logits32, loss32, grads32 = loss_and_grads(twin32, ids, labels)
    grads32 = onnx_gradients(model, copy.deepcopy(mapped), grads32)
    zeros = zero_gradients(grads)
    gap = max(rel_l2(grads32[k], grads[k]) for k in grads if k not in zeros)

    safetensors_io.save(os.path.join(out, "batch.safetensors"), {"input_ids": ids, "labels": labels})
    expected = {k: v.float() for k, v in grads.items()}
    expected["loss"] = loss64.float().reshape([])
    safetensors_io.save(os.path.join(out, "expected.safetensors"), expected,
                        metadata={"computed_in": "float64", "stored_as": "float32"})
    safetensors_io.save(os.path.join(out, "logits.safetensors"), {"logits": logits64.float()},
                        metadata={"computed_in": "float64", "stored_as": "float32"})

    ops = Counter(n.op_type for n in onnx_model.graph.node)
    copies = []
    by_param = {}
    for m in mapped:
        by_param.setdefault(m["torch"], []).append(m)
    for pname, ms in by_param.items():
        if len(ms) > 1:
            base = next((m for m in ms if not m["transposed"]), ms[0])
            for m in ms:
                if m is not base:
                    copies.append({"initializer": m["onnx"], "copy_of": base["onnx"], "torch_parameter": pname,
                                   "transposed": m["transposed"]})
    info = {
        "architecture": arch,
        "model_class": type(model).__name__,
        "export": {"torch": torch.__version__, "opset_version": OPSET, "do_constant_folding": fold,
                   "input_names": ["input_ids"], "output_names": ["logits"], "dynamic_axes": ["batch", "seq"]},
        "batch": {"batch": BATCH, "seq": SEQ, "vocab": VOCAB, "ignore_index": IGNORE,
                  "kept_tokens": int((labels != IGNORE).sum())},
        "loss": {"value": float(loss64),
                 "definition": "F.cross_entropy(logits.reshape(-1,V), labels.reshape(-1), ignore_index=-100)"},
        "float32_vs_float64_max_grad_rel_l2": gap,
        "parameters": mapped,
        "zero_gradient_initializers": {
            "names": zeros,
            "note": "gradient is zero in exact arithmetic (e.g. a key-projection bias: softmax is invariant to a "
                    "per-row constant); the stored float64 value is rounding noise, so compare these with an "
                    "absolute bound on the L2 norm (say 1e-6), not a relative one" if zeros else "none"},
        "non_parameter_initializers": others,
        "float_constant_tables": float_constant_tables(onnx_model),
        "initializer_copies": copies,
        "ties": tie_notes(model, mapped, copies),
        "op_types": dict(sorted(ops.items())),
        "op_types_on_gradient_path": gradient_path_ops(onnx_model, [m["onnx"] for m in mapped]),
    }
    with open(os.path.join(out, "info.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(f"{name}: loss {float(loss64):.6f}, {len(mapped)} trainable initializers, "
          f"{len(others)} other, float32 gap {gap:.1e}, zero grads {zeros}\n"
          f"  ops {sorted(ops)}\n  gradient path {sorted(info['op_types_on_gradient_path'])}")


def tie_notes(model, mapped, copies):
    ties = TIES.get(type(model).__name__, {})
    if not ties:
        return "no tied parameters"
    if copies:
        return ("constant folding untied the head: " + "; ".join(
            f"{c['initializer']} is a {'transposed ' if c['transposed'] else ''}copy of {c['copy_of']}"
            for c in copies) + ". Each initializer's expected gradient is that of its own use alone "
            "(embedding use for the Gather input, head use for the copy), i.e. the model trained as exported; "
            "a generator should warn that the copies will drift apart.")
    return ("lm_head is tied to the embedding: one initializer used twice (Gather and Transpose->MatMul); "
            "its gradient is the sum of both uses.")


def main():
    torch.set_num_threads(1)
    for name, spec in FIXTURES.items():
        build(name, spec)


if __name__ == "__main__":
    main()
