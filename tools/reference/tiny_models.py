"""Tiny causal LMs written the way the real libraries write them, for exporter/autodiff parity.

Each model maps input_ids [batch, seq] (int64) to logits [batch, seq, vocab]. They follow the source
of Hugging Face transformers (GPT-2, Llama, OPT) closely, minus dropout, caches and options, because
the point is to reproduce the graph patterns PyTorch's ONNX exporter emits for real checkpoints.
No dtype is hard-coded in a forward pass, so `model.double()` gives a float64 twin of the same model.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F


# ---------------------------------------------------------------- GPT-2 (transformers GPT2LMHeadModel)

class Conv1D(nn.Module):
    """GPT-2's transposed linear layer: weight [in, out], addmm on a 2-D view (exports as Gemm)."""

    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        size_out = x.size()[:-1] + (self.nf,)
        x = torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight)
        return x.view(size_out)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class GPT2Attention(nn.Module):
    def __init__(self, d, heads, max_pos):
        super().__init__()
        self.heads, self.hd, self.split_size = heads, d // heads, d
        self.register_buffer(
            "bias", torch.tril(torch.ones((max_pos, max_pos), dtype=torch.bool)).view(1, 1, max_pos, max_pos))
        self.c_attn = Conv1D(3 * d, d)
        self.c_proj = Conv1D(d, d)

    def _split_heads(self, t):
        t = t.view(t.size()[:-1] + (self.heads, self.hd))
        return t.permute(0, 2, 1, 3)

    def _merge_heads(self, t):
        t = t.permute(0, 2, 1, 3).contiguous()
        return t.view(t.size()[:-2] + (self.heads * self.hd,))

    def forward(self, hidden_states):
        query, key, value = self.c_attn(hidden_states).split(self.split_size, dim=2)
        query, key, value = self._split_heads(query), self._split_heads(key), self._split_heads(value)
        attn_weights = torch.matmul(query, key.transpose(-1, -2))
        attn_weights = attn_weights / torch.full(
            [], value.size(-1) ** 0.5, dtype=attn_weights.dtype, device=attn_weights.device)
        query_length, key_length = query.size(-2), key.size(-2)
        causal_mask = self.bias[:, :, key_length - query_length: key_length, :key_length]
        mask_value = torch.finfo(attn_weights.dtype).min
        mask_value = torch.full([], mask_value, dtype=attn_weights.dtype, device=attn_weights.device)
        attn_weights = torch.where(causal_mask, attn_weights, mask_value)
        attn_weights = nn.functional.softmax(attn_weights, dim=-1)
        attn_output = torch.matmul(attn_weights, value)
        return self.c_proj(self._merge_heads(attn_output))


class GPT2MLP(nn.Module):
    def __init__(self, d, inner):
        super().__init__()
        self.c_fc = Conv1D(inner, d)
        self.c_proj = Conv1D(d, inner)

    def forward(self, x):
        return self.c_proj(gelu_new(self.c_fc(x)))


class GPT2Block(nn.Module):
    def __init__(self, d, heads, inner, max_pos, eps):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=eps)
        self.attn = GPT2Attention(d, heads, max_pos)
        self.ln_2 = nn.LayerNorm(d, eps=eps)
        self.mlp = GPT2MLP(d, inner)

    def forward(self, h):
        h = h + self.attn(self.ln_1(h))
        return h + self.mlp(self.ln_2(h))


class GPT2Model(nn.Module):
    def __init__(self, vocab, d, layers, heads, inner, max_pos, eps):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(max_pos, d)
        self.h = nn.ModuleList([GPT2Block(d, heads, inner, max_pos, eps) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d, eps=eps)

    def forward(self, input_ids):
        input_shape = input_ids.size()
        position_ids = torch.arange(0, input_shape[-1], dtype=torch.long, device=input_ids.device)
        position_ids = position_ids.unsqueeze(0).view(-1, input_shape[-1])
        h = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            h = block(h)
        return self.ln_f(h)


class GPT2LMHeadModel(nn.Module):
    """GPT-2 with the lm_head tied to wte (one Parameter object, as tie_weights() leaves it)."""

    def __init__(self, vocab=96, d=32, layers=2, heads=4, inner=128, max_pos=16, eps=1e-5):
        super().__init__()
        self.transformer = GPT2Model(vocab, d, layers, heads, inner, max_pos, eps)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.transformer.wte.weight

    def forward(self, input_ids):
        return self.lm_head(self.transformer(input_ids))


# ---------------------------------------------------------------- Llama (transformers LlamaForCausalLM)

class LlamaRMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states


class LlamaRotaryEmbedding(nn.Module):
    def __init__(self, dim, base):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, position_ids):
        inv_freq_expanded = self.inv_freq[None, :, None].expand(position_ids.shape[0], -1, 1)
        position_ids_expanded = position_ids[:, None, :].to(self.inv_freq.dtype)
        freqs = (inv_freq_expanded @ position_ids_expanded).transpose(1, 2)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos(), emb.sin()


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin):
    cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
    return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)


def repeat_kv(hidden_states, n_rep):
    batch, num_key_value_heads, slen, head_dim = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = hidden_states[:, :, None, :, :].expand(batch, num_key_value_heads, n_rep, slen, head_dim)
    return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)


class LlamaAttention(nn.Module):
    def __init__(self, d, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads, self.hd = heads, kv_heads, d // heads
        self.q_proj = nn.Linear(d, heads * self.hd, bias=False)
        self.k_proj = nn.Linear(d, kv_heads * self.hd, bias=False)
        self.v_proj = nn.Linear(d, kv_heads * self.hd, bias=False)
        self.o_proj = nn.Linear(heads * self.hd, d, bias=False)

    def forward(self, hidden_states, cos, sin, causal_mask):
        bsz, q_len, _ = hidden_states.size()
        q = self.q_proj(hidden_states).view(bsz, q_len, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.kv_heads, self.hd).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.kv_heads, self.hd).transpose(1, 2)
        q, k = apply_rotary_pos_emb(q, k, cos, sin)
        k = repeat_kv(k, self.heads // self.kv_heads)
        v = repeat_kv(v, self.heads // self.kv_heads)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.hd)
        attn_weights = attn_weights + causal_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1)
        attn_output = torch.matmul(attn_weights, v)
        attn_output = attn_output.transpose(1, 2).contiguous().reshape(bsz, q_len, -1)
        return self.o_proj(attn_output)


class LlamaMLP(nn.Module):
    def __init__(self, d, ffn):
        super().__init__()
        self.gate_proj = nn.Linear(d, ffn, bias=False)
        self.up_proj = nn.Linear(d, ffn, bias=False)
        self.down_proj = nn.Linear(ffn, d, bias=False)
        self.act_fn = nn.SiLU()

    def forward(self, x):
        return self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, d, heads, kv_heads, ffn, eps):
        super().__init__()
        self.self_attn = LlamaAttention(d, heads, kv_heads)
        self.mlp = LlamaMLP(d, ffn)
        self.input_layernorm = LlamaRMSNorm(d, eps)
        self.post_attention_layernorm = LlamaRMSNorm(d, eps)

    def forward(self, h, cos, sin, causal_mask):
        h = h + self.self_attn(self.input_layernorm(h), cos, sin, causal_mask)
        return h + self.mlp(self.post_attention_layernorm(h))


def make_causal_mask(bsz, tgt_len, dtype, device):
    """transformers' _make_causal_mask: 0 on and below the diagonal, finfo.min above, [bsz,1,t,t]."""
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, dtype=dtype, device=device)
    mask_cond = torch.arange(mask.size(-1), device=device)
    mask.masked_fill_(mask_cond < (mask_cond + 1).view(mask.size(-1), 1), 0)
    return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)


class LlamaModel(nn.Module):
    def __init__(self, vocab, d, layers, heads, kv_heads, ffn, eps, theta):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([LlamaDecoderLayer(d, heads, kv_heads, ffn, eps) for _ in range(layers)])
        self.norm = LlamaRMSNorm(d, eps)
        self.rotary_emb = LlamaRotaryEmbedding(d // heads, theta)

    def forward(self, input_ids):
        bsz, seq = input_ids.shape
        h = self.embed_tokens(input_ids)
        position_ids = torch.arange(0, seq, dtype=torch.long, device=input_ids.device).unsqueeze(0)
        cos, sin = self.rotary_emb(position_ids)
        causal_mask = make_causal_mask(bsz, seq, h.dtype, h.device)
        for layer in self.layers:
            h = layer(h, cos, sin, causal_mask)
        return self.norm(h)


class LlamaForCausalLM(nn.Module):
    def __init__(self, vocab=96, d=32, layers=2, heads=4, kv_heads=2, ffn=88, eps=1e-6, theta=10000.0):
        super().__init__()
        self.model = LlamaModel(vocab, d, layers, heads, kv_heads, ffn, eps, theta)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, input_ids):
        return self.lm_head(self.model(input_ids))


# ---------------------------------------------------------------- OPT (transformers OPTForCausalLM, OPT-350m post-LN)

class OPTLearnedPositionalEmbedding(nn.Embedding):
    """OPT offsets its learned positions by 2 (rows 0 and 1 are never used by a causal LM)."""

    def __init__(self, num_embeddings, embedding_dim):
        self.offset = 2
        super().__init__(num_embeddings + self.offset, embedding_dim)

    def forward(self, positions):
        return super().forward(positions + self.offset)


class OPTAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.scaling = self.hd ** -0.5
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.q_proj = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)

    def _shape(self, t, seq_len, bsz):
        return t.view(bsz, seq_len, self.heads, self.hd).transpose(1, 2).contiguous()

    def forward(self, hidden_states, attention_mask):
        bsz, tgt_len, embed_dim = hidden_states.size()
        query_states = self.q_proj(hidden_states) * self.scaling
        key_states = self._shape(self.k_proj(hidden_states), -1, bsz)
        value_states = self._shape(self.v_proj(hidden_states), -1, bsz)
        proj_shape = (bsz * self.heads, -1, self.hd)
        query_states = self._shape(query_states, tgt_len, bsz).view(*proj_shape)
        key_states = key_states.view(*proj_shape)
        value_states = value_states.view(*proj_shape)
        src_len = key_states.size(1)
        attn_weights = torch.bmm(query_states, key_states.transpose(1, 2))
        attn_weights = attn_weights.view(bsz, self.heads, tgt_len, src_len) + attention_mask
        attn_weights = torch.max(
            attn_weights, torch.tensor(torch.finfo(attn_weights.dtype).min, device=attn_weights.device))
        attn_weights = attn_weights.view(bsz * self.heads, tgt_len, src_len)
        attn_probs = nn.functional.softmax(attn_weights, dim=-1)
        attn_output = torch.bmm(attn_probs, value_states)
        attn_output = attn_output.view(bsz, self.heads, tgt_len, self.hd).transpose(1, 2)
        attn_output = attn_output.reshape(bsz, tgt_len, embed_dim)
        return self.out_proj(attn_output)


class OPTDecoderLayer(nn.Module):
    """Post-LN layer (do_layer_norm_before=False, as in OPT-350m), erf GELU instead of ReLU."""

    def __init__(self, d, heads, ffn):
        super().__init__()
        self.self_attn = OPTAttention(d, heads)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, ffn)
        self.fc2 = nn.Linear(ffn, d)
        self.activation_fn = nn.GELU()
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, hidden_states, attention_mask):
        residual = hidden_states
        hidden_states = self.self_attn(hidden_states, attention_mask)
        hidden_states = self.self_attn_layer_norm(residual + hidden_states)
        residual = hidden_states
        hidden_states = self.fc2(self.activation_fn(self.fc1(hidden_states)))
        return self.final_layer_norm(residual + hidden_states)


class OPTForCausalLM(nn.Module):
    def __init__(self, vocab=96, d=32, layers=2, heads=4, ffn=96, max_pos=16):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.embed_positions = OPTLearnedPositionalEmbedding(max_pos, d)
        self.layers = nn.ModuleList([OPTDecoderLayer(d, heads, ffn) for _ in range(layers)])
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, input_ids):
        bsz, seq = input_ids.shape
        inputs_embeds = self.embed_tokens(input_ids)
        positions = torch.arange(seq, dtype=torch.long, device=input_ids.device).unsqueeze(0)
        h = inputs_embeds + self.embed_positions(positions)
        # Causal mask as a full matrix of -inf with its strict upper triangle kept.
        causal = torch.triu(torch.full((seq, seq), float("-inf"), dtype=h.dtype, device=h.device), diagonal=1)
        causal = causal[None, None, :, :]
        for layer in self.layers:
            h = layer(h, causal)
        return self.lm_head(h)
