"""Minimal safetensors writer/reader (torch 1.13 ships without the safetensors package).

Layout: 8-byte little-endian header length N, N bytes of UTF-8 JSON (keys sorted, padded with
spaces to a multiple of 8), then the raw little-endian tensor data, contiguous, in key order.
"""
import json
import struct

import numpy as np

_DTYPES = {
    np.dtype("float32"): "F32",
    np.dtype("float64"): "F64",
    np.dtype("float16"): "F16",
    np.dtype("int64"): "I64",
    np.dtype("int32"): "I32",
    np.dtype("int8"): "I8",
    np.dtype("uint8"): "U8",
    np.dtype("bool"): "BOOL",
}
_NP = {v: k for k, v in _DTYPES.items()}


def _to_numpy(t):
    if hasattr(t, "detach"):
        t = t.detach().cpu().contiguous().numpy()
    # np.ascontiguousarray would turn a 0-d array (a scalar loss) into shape [1].
    return np.array(t, order="C", copy=False)


def save(path, tensors, metadata=None):
    """Write a dict name -> tensor (torch or numpy) to path as safetensors."""
    arrays = {k: _to_numpy(v) for k, v in tensors.items()}
    header = {}
    blobs = []
    offset = 0
    for name in sorted(arrays):
        a = arrays[name]
        if a.dtype not in _DTYPES:
            raise ValueError(f"unsupported dtype {a.dtype} for tensor {name}")
        raw = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes(order="C")
        header[name] = {
            "dtype": _DTYPES[a.dtype],
            "shape": list(a.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def load(path):
    """Read a safetensors file into a dict name -> numpy array (metadata is dropped)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dt = _NP[info["dtype"]].newbyteorder("<")
        out[name] = np.frombuffer(data[base + begin : base + end], dtype=dt).reshape(info["shape"]).copy()
    return out
