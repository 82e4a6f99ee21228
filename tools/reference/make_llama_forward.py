"""Forward-pass reference fixtures for the built-in Llama family.

Writes artifacts/fixtures/llama_forward/<name>/{config.json, model.safetensors, batch.safetensors,
logits.safetensors} for two configurations (tied + GQA, untied + MHA). Weights are stored as float32;
the forward pass runs in float64 on exactly those float32 values and the logits are rounded to float32
at the end, so the stored reference carries no float32 accumulation error.

Run: /usr/bin/python3 tools/reference/make_llama_forward.py
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_ROOT = os.path.join(REPO, "artifacts", "fixtures", "llama_forward")

PAD_ID = 258
BATCH = 3
SEQ = 17
ROW_LENGTHS = (17, 12, 5)
MAX_REAL_ID = 257
MASK_FILL = -1e9

CONFIGS = {
    "tied_gqa": dict(vocab=259, d_model=64, layers=2, heads=4, kv_heads=2, ffn=160, max_seq=64,
                     rope_theta=10000.0, norm_eps=1e-5, tie=True, init_std=0.02, seed=1234),
    "untied_mha": dict(vocab=259, d_model=48, layers=2, heads=3, kv_heads=3, ffn=128, max_seq=64,
                       rope_theta=500000.0, norm_eps=1e-6, tie=False, init_std=0.02, seed=4321),
}
NORM_WEIGHT_STD = 0.1


def make_weights(cfg):
    """Deterministic float32 weights named as the C# loader expects."""
    torch.manual_seed(cfg["seed"])
    d, hd = cfg["d_model"], cfg["d_model"] // cfg["heads"]
    std = cfg["init_std"]

    def mat(*shape):
        return torch.randn(*shape, dtype=torch.float32) * std

    def norm():
        return 1.0 + torch.randn(d, dtype=torch.float32) * NORM_WEIGHT_STD

    w = {"model.embed_tokens.weight": mat(cfg["vocab"], d)}
    for i in range(cfg["layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = norm()
        w[p + "self_attn.q_proj.weight"] = mat(cfg["heads"] * hd, d)
        w[p + "self_attn.k_proj.weight"] = mat(cfg["kv_heads"] * hd, d)
        w[p + "self_attn.v_proj.weight"] = mat(cfg["kv_heads"] * hd, d)
        w[p + "self_attn.o_proj.weight"] = mat(d, cfg["heads"] * hd)
        w[p + "post_attention_layernorm.weight"] = norm()
        w[p + "mlp.gate_proj.weight"] = mat(cfg["ffn"], d)
        w[p + "mlp.up_proj.weight"] = mat(cfg["ffn"], d)
        w[p + "mlp.down_proj.weight"] = mat(d, cfg["ffn"])
    w["model.norm.weight"] = norm()
    if not cfg["tie"]:
        w["lm_head.weight"] = mat(cfg["vocab"], d)
    return w


def make_batch(seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, MAX_REAL_ID + 1, (BATCH, SEQ), generator=g, dtype=torch.int64)
    mask = torch.zeros(BATCH, SEQ, dtype=torch.int64)
    for b, n in enumerate(ROW_LENGTHS):
        mask[b, :n] = 1
        ids[b, n:] = PAD_ID
    return ids, mask


def rmsnorm(x, w, eps):
    return (x * (1.0 / torch.sqrt((x * x).mean(-1, keepdim=True) + eps))) * w


def rotate_half(t):
    half = t.shape[-1] // 2
    return torch.cat((-t[..., half:], t[..., :half]), dim=-1)


def rope_tables(seq, hd, theta, dtype):
    j = torch.arange(hd // 2, dtype=torch.float64)
    inv_freq = 1.0 / theta ** (2.0 * j / hd)
    pos = torch.arange(seq, dtype=torch.float64)
    ang = pos[:, None] * inv_freq[None, :]
    emb = torch.cat((ang, ang), dim=-1)
    # The spec rounds the tables to float32; keep that rounding even in the float64 reference.
    return torch.cos(emb).float().to(dtype), torch.sin(emb).float().to(dtype)


def forward(cfg, w, ids, mask, dtype=torch.float64):
    w = {k: v.to(dtype) for k, v in w.items()}
    B, S = ids.shape
    H, KV = cfg["heads"], cfg["kv_heads"]
    hd = cfg["d_model"] // H
    n_rep = H // KV
    eps = cfg["norm_eps"]
    h = w["model.embed_tokens.weight"][ids]
    cos, sin = rope_tables(S, hd, cfg["rope_theta"], dtype)
    causal = torch.tril(torch.ones(S, S, dtype=torch.bool))
    allowed = causal[None, :, :] & (mask[:, None, :] == 1)  # [B, S(query), S(key)]
    scale = 1.0 / math.sqrt(hd)

    def repeat_kv(t):
        return t[:, :, None].expand(B, KV, n_rep, S, hd).reshape(B, H, S, hd)

    for i in range(cfg["layers"]):
        p = f"model.layers.{i}."
        x = rmsnorm(h, w[p + "input_layernorm.weight"], eps)
        q = (x @ w[p + "self_attn.q_proj.weight"].T).view(B, S, H, hd).transpose(1, 2)
        k = (x @ w[p + "self_attn.k_proj.weight"].T).view(B, S, KV, hd).transpose(1, 2)
        v = (x @ w[p + "self_attn.v_proj.weight"].T).view(B, S, KV, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k, v = repeat_kv(k), repeat_kv(v)
        scores = (q @ k.transpose(-1, -2)) * scale
        scores = scores.masked_fill(~allowed[:, None], MASK_FILL)
        prob = torch.softmax(scores, dim=-1)
        o = (prob @ v).transpose(1, 2).reshape(B, S, H * hd) @ w[p + "self_attn.o_proj.weight"].T
        h = h + o
        x = rmsnorm(h, w[p + "post_attention_layernorm.weight"], eps)
        gate = torch.nn.functional.silu(x @ w[p + "mlp.gate_proj.weight"].T)
        up = x @ w[p + "mlp.up_proj.weight"].T
        h = h + (gate * up) @ w[p + "mlp.down_proj.weight"].T
    h = rmsnorm(h, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg["tie"] else w["lm_head.weight"]
    return h @ head.T


def rel_l2(a, b):
    a, b = a.double(), b.double()
    return float((a - b).norm() / b.norm())


def main():
    for name, cfg in CONFIGS.items():
        out = os.path.join(OUT_ROOT, name)
        os.makedirs(out, exist_ok=True)
        w = make_weights(cfg)
        ids, mask = make_batch(cfg["seed"] + 1)
        with torch.no_grad():
            logits64 = forward(cfg, w, ids, mask, torch.float64)
            logits32 = forward(cfg, w, ids, mask, torch.float32)
        with open(os.path.join(out, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
            f.write("\n")
        safetensors_io.save(os.path.join(out, "model.safetensors"), w)
        safetensors_io.save(os.path.join(out, "batch.safetensors"), {"input_ids": ids, "attention_mask": mask})
        safetensors_io.save(os.path.join(out, "logits.safetensors"), {"logits": logits64.float()},
                            metadata={"computed_in": "float64", "stored_as": "float32"})
        print(f"{name}: logits {tuple(logits64.shape)}, float32 forward vs float64 rel L2 = "
              f"{rel_l2(logits32, logits64):.2e}")


if __name__ == "__main__":
    main()
