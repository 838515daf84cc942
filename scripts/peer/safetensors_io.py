"""Reads .safetensors (8-byte little-endian header length, JSON header, raw data) with json + numpy,
since the `safetensors` package is not part of Debian's python3-torch."""
import json
import struct

import numpy as np
import torch

_DTYPES = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "I32": "<i4", "F16": "<f2"}


def read(path):
    """{name: torch tensor} in file order."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] not in _DTYPES:
            raise ValueError("%s: tensor %s has unsupported dtype %s" % (path, name, meta["dtype"]))
        start, end = meta["data_offsets"]
        a = np.frombuffer(data, dtype=_DTYPES[meta["dtype"]], count=(end - start) // np.dtype(_DTYPES[meta["dtype"]]).itemsize,
                          offset=base + start)
        out[name] = torch.from_numpy(a.reshape(meta["shape"]).copy())
    return out
