#!/usr/bin/python3
"""Writes the fixtures of EngineReproductionTest: one convolution, Conv2d(28 -> 48, 3x3), the shape
on which libtorch 2.7.1's oneDNN (DJL 0.35.1, pytorch-native-cpu) was reported to compute wrong
results on an AMD EPYC CPU, its input and its output computed in float64.

Run with Debian's interpreter and packages (bookworm: torch 1.13):
    apt-get install -y --no-install-recommends python3-torch
    /usr/bin/python3 app-tier/src/test/python/make_engine_check_fixtures.py
Output (app-tier/src/test/resources/engine-check/):
    conv28to48.pt       the scripted convolution (TorchScript; scripting records torch's own source, not this script's path)
    input.f32           the 4x28x11x11 input, float32 little-endian, NCHW
    reference.f64       the 4x48x9x9 output computed in float64 from the same float32 weights and input,
                        float64 little-endian, NCHW
The Java test needs no Python. The output is byte-identical from run to run with the same torch.
"""
import hashlib
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "engine-check")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(546)
    conv = torch.nn.Conv2d(28, 48, 3).eval()
    x = torch.randn(4, 28, 11, 11)
    with torch.no_grad():
        scripted = torch.jit.script(conv)
        reference = torch.nn.functional.conv2d(x.double(), conv.weight.double(), conv.bias.double())
        float32 = conv(x).double()
    scripted.save(os.path.join(OUT, "conv28to48.pt"))
    with open(os.path.join(OUT, "input.f32"), "wb") as f:
        f.write(x.numpy().astype("<f4").tobytes())
    with open(os.path.join(OUT, "reference.f64"), "wb") as f:
        f.write(reference.numpy().astype("<f8").tobytes())
    print("torch %s float32 against float64: max |difference| %.3g, max |output| %.3g"
          % (torch.__version__, (float32 - reference).abs().max().item(), reference.abs().max().item()))
    for name in ("conv28to48.pt", "input.f32", "reference.f64"):
        with open(os.path.join(OUT, name), "rb") as f:
            print(name, hashlib.sha256(f.read()).hexdigest()[:16])


if __name__ == "__main__":
    main()
