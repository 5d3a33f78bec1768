#!/usr/bin/python3
"""Writes torchvision's ResNet-18 (random weights: speed does not depend on them, and no weights can be
downloaded where this runs) as TorchScript, traced like the DJL model zoo's resnet18, for
IsaThroughputBenchmark. The output (about 45 MB) is not committed.

    apt-get install -y --no-install-recommends python3-torch python3-torchvision
    /usr/bin/python3 app-tier/src/test/python/make_resnet18_torchscript.py OUT.pt
"""
import sys

import torch
import torchvision

torch.manual_seed(546)
model = torchvision.models.resnet18().eval()
with torch.no_grad():
    traced = torch.jit.trace(model, torch.rand(1, 3, 224, 224))
traced.save(sys.argv[1])
print("wrote", sys.argv[1])
