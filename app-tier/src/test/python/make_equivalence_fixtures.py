#!/usr/bin/python3
"""Writes the fixtures of EquivalenceTest: a tiny TorchScript model, generated PNG and JPEG images,
the logits PyTorch computes for each under both preprocessing profiles, and, for the imagenet
profile, the resized and centre-cropped image PIL produces (so a resize difference shows as a
pixel, not only as a logit), and the pixels PIL decodes from each JPEG.

Run with Debian's interpreter and packages (bookworm: torch 1.13, torchvision 0.14, Pillow 9.4):
    apt-get install -y --no-install-recommends python3-torch python3-torchvision python3-pil
    /usr/bin/python3 app-tier/src/test/python/make_equivalence_fixtures.py
The output is deterministic for a given torch/Pillow/libjpeg; the Java test needs no Python.
"""
import io
import json
import os
import random
import sys

import torch
import torchvision
import PIL
from PIL import Image, ImageDraw
from torchvision import transforms

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "equivalence")

# The profiles exactly as docs/model.md defines them, written with torchvision.
CSE546 = transforms.ToTensor()
IMAGENET_RESIZE_CROP = transforms.Compose([
    transforms.Resize(256, interpolation=transforms.InterpolationMode.BILINEAR),  # PIL input: always antialiased
    transforms.CenterCrop(224),
])
IMAGENET_TENSOR = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


class TinyNet(torch.nn.Module):
    """Any input size to 1000 logits. Max pooling over a 2x2 grid keeps the logits sensitive to
    local pixel values (a global average alone would dilute a one-pixel difference below 1e-4).
    Few features keep tiny.pt small: the 1000-way linear layer is nearly all of its weights."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.conv2 = torch.nn.Conv2d(8, 4, 3, padding=1)
        self.pool_max = torch.nn.AdaptiveMaxPool2d((2, 2))
        self.pool_avg = torch.nn.AdaptiveAvgPool2d((1, 1))
        self.fc = torch.nn.Linear(4 * 4 + 4, 1000)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.tanh(self.conv2(x))
        features = torch.cat([torch.flatten(self.pool_max(x), 1), torch.flatten(self.pool_avg(x), 1)], 1)
        return self.fc(features) * 4.0


def generated(seed, width, height, mode="RGB", noise=True):
    """Gradients, shapes, fine stripes and noise: smooth and sharp content, so that resampling,
    chroma subsampling and rounding all matter."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (width, height))
    px = img.load()
    a, b, c = rnd.random() * 6, rnd.random() * 6, rnd.random() * 6
    for y in range(height):
        for x in range(width):
            px[x, y] = (int(255 * x / max(1, width - 1)), int(255 * y / max(1, height - 1)),
                        int(127.5 + 127.5 * ((x * a + y * b + c) % 2 - 1)))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x0, y0 = rnd.randrange(width), rnd.randrange(height)
        x1, y1 = x0 + rnd.randrange(1, width), y0 + rnd.randrange(1, height)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)([x0, y0, x1, y1], fill=colour)
    for x in range(0, width, 3):  # one-pixel stripes: aliasing if a resize does not antialias
        draw.line([(x, 0), (x, height // 4)], fill=(255, 255, 255))
    for _ in range(width * height // 400 if noise else 0):
        px[rnd.randrange(width), rnd.randrange(height)] = tuple(rnd.randrange(256) for _ in range(3))
    return img.convert(mode)


# name, seed, width, height, PIL mode, format; the big one (a 2.9x downscale: 7 taps a pixel
# instead of 3) goes without noise, which would not compress
IMAGES = [
    ("rgb-64x64.png", 1, 64, 64, "RGB", "PNG"),
    ("rgb-97x61.png", 2, 97, 61, "RGB", "PNG"),
    ("rgb-320x200.png", 3, 320, 200, "RGB", "PNG"),
    ("rgb-300x451.png", 4, 300, 451, "RGB", "PNG"),
    ("rgb-1000x750-smooth.png", 10, 1000, 750, "RGB", "PNG"),
    ("gray-80x64.png", 5, 80, 64, "L", "PNG"),
    ("palette-64x64.png", 6, 64, 64, "P", "PNG"),
    ("rgb-64x64.jpg", 7, 64, 64, "RGB", "JPEG"),
    ("rgb-320x200.jpg", 8, 320, 200, "RGB", "JPEG"),
    ("rgb-225x300-q95-444.jpg", 9, 225, 300, "RGB", "JPEG"),
]


def rounded(logits):
    """Six decimals: an error of 5e-7 at most, far below the 1e-4 compared, at half the file size."""
    return [round(v, 6) for v in logits.tolist()]


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(546)
    model = TinyNet().eval()
    with torch.no_grad():
        for p in model.parameters():  # weights in a range where float32 noise stays far below 1e-4
            p.copy_(torch.empty_like(p).uniform_(-0.5, 0.5))
        traced = torch.jit.trace(model, torch.zeros(1, 3, 64, 64))
    traced.save(os.path.join(OUT, "tiny.pt"))
    with open(os.path.join(OUT, "labels.txt"), "w") as f:
        f.write("".join(f"class{i}\n" for i in range(1000)))

    fixtures = []
    for name, seed, width, height, mode, fmt in IMAGES:
        data = io.BytesIO()
        options = {"quality": 95, "subsampling": 0} if "444" in name else {"quality": 85}
        image = generated(seed, width, height, mode, noise="smooth" not in name)
        if fmt == "JPEG":
            image.save(data, fmt, **options)
        else:
            image.save(data, fmt, optimize=True)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data.getvalue())
        # What a PyTorch reference classifier does with uploaded bytes.
        decoded = Image.open(io.BytesIO(data.getvalue())).convert("RGB")
        entry = {"image": name, "width": width, "height": height, "format": fmt.lower()}
        with torch.no_grad():
            entry["cse546"] = rounded(traced(CSE546(decoded).unsqueeze(0))[0])
            cropped = IMAGENET_RESIZE_CROP(decoded)
            entry["imagenet"] = rounded(traced(IMAGENET_TENSOR(cropped).unsqueeze(0))[0])
        if fmt == "JPEG":  # PIL's decoded pixels, so the test can measure the JPEG decoder difference itself
            decoded_name = name.rsplit(".", 1)[0] + ".pil-decoded.png"
            decoded.save(os.path.join(OUT, decoded_name), "PNG", optimize=True)
            entry["pilDecoded"] = decoded_name
        if fmt == "PNG":  # JPEG crops would repeat the decoder difference the tolerance already covers
            crop_name = name.rsplit(".", 1)[0] + ".imagenet-crop.png"
            cropped.save(os.path.join(OUT, crop_name), "PNG", optimize=True)
            entry["imagenetCrop"] = crop_name
        fixtures.append(entry)

    header = {
        "note": "logits rounded to 6 decimals",
        "generator": "app-tier/src/test/python/make_equivalence_fixtures.py",
        "torch": torch.__version__, "torchvision": torchvision.__version__, "pillow": PIL.__version__,
        "python": sys.version.split()[0],
        "model": "tiny.pt", "labels": "labels.txt",
    }
    with open(os.path.join(OUT, "logits.json"), "w") as f:  # one image a line: readable, and small
        f.write(json.dumps(header, indent=1)[:-2] + ',\n "images": [\n')
        f.write(",\n".join(json.dumps(entry, separators=(",", ":")) for entry in fixtures))
        f.write("\n ]\n}\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
