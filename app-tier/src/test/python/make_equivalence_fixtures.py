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
from PIL import Image, ImageDraw, ImageOps
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


def png16(width, height, colour_type, channels):
    """A 16-bit PNG (Pillow cannot write 16-bit RGB or grey with alpha): colour type 0 grey,
    4 grey+alpha, 2 RGB, 6 RGBA; channels is one list of 16-bit samples per channel, row by row."""
    # Imported here: a new line above TinyNet would shift the source lines traced into tiny.pt's
    # debug info and change the committed file.
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    interleaved = [sample for pixel in zip(*channels) for sample in pixel]
    row = width * len(channels)
    raw = b"".join(b"\0" + struct.pack(f">{row}H", *interleaved[y * row:(y + 1) * row]) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def wide(seed, band, rnd):
    """An 8-bit band widened to 16 bits with a random low byte: PIL keeps the high byte
    (v >> 8), a rounding conversion (v * 255 / 65535) would differ on about half the pixels."""
    return [v * 256 + rnd.randrange(256) for v in band.getdata()]


def png16_image(seed, width, height, colour_type):
    rnd = random.Random(seed)
    image = generated(seed, width, height)
    if colour_type == 0:
        # PIL opens 16-bit grey as mode I and convert("RGB") clips at 255 (Convert.c i2rgb): levels
        # 0..255 pass unchanged, anything above is white. Scale the grey image by 1 (left fifth)
        # to 5 (right fifth), so the image has both, plus sparse samples over the whole 16-bit range.
        grey = list(image.convert("L").getdata())
        samples = [v * (1 + 5 * (i % width) // width) for i, v in enumerate(grey)]
        for _ in range(width * height // 50):
            samples[rnd.randrange(len(samples))] = rnd.randrange(65536)
        return png16(width, height, 0, [samples])
    bands = [image.convert("L")] if colour_type == 4 else list(image.split())
    channels = [wide(seed, band, rnd) for band in bands]
    if colour_type in (4, 6):  # alpha, which convert("RGB") drops; smooth, so that it compresses
        channels.append([(i % width) * 65535 // (width - 1) for i in range(width * height)])
    return png16(width, height, colour_type, channels)


def cmyk_jpeg(seed, width, height, variant):
    """A CMYK JPEG as Pillow writes it (libjpeg: Adobe APP14 marker, transform 0, values stored
    inverted, Adobe's convention), the same without the APP14 marker, or a YCCK one. Pillow cannot
    write YCCK, so: the components libjpeg turns back into this CMYK image are computed (libjpeg's
    YCCK decode is C = 255 - R(Y, Cb, Cr), K stored as is, then PIL inverts all four), written as
    CMYK, and the APP14 transform flag is set to 2; every decoder then reads them as YCCK."""
    rgb = generated(seed, width, height)
    key = generated(seed + 100, width, height, "L").point(lambda v: v // 2)
    cmyk = Image.merge("CMYK", [ImageOps.invert(band) for band in rgb.split()] + [key])
    if variant == "ycck":
        c, m, y, k = cmyk.split()
        ycc = Image.merge("RGB", (c, m, y)).convert("YCbCr")
        # Pillow stores 255 - value (CMYK;I); libjpeg gives PIL 255 - K, which PIL inverts back to k.
        cmyk = Image.merge("CMYK", [ImageOps.invert(band) for band in ycc.split()] + [k])
    data = io.BytesIO()
    # Pillow's 4:2:0 keeps the first component at full resolution and halves the other three:
    # like a real YCCK file's chroma, and it makes the decoders upsample.
    cmyk.save(data, "JPEG", quality=90, subsampling=2)
    data = data.getvalue()
    import struct  # here, not at the top: see png16
    app14 = data.find(b"\xff\xee")  # libjpeg writes it right after SOI: the first FFEE is the marker
    assert app14 > 0 and data[app14 + 4:app14 + 9] == b"Adobe", "libjpeg wrote no Adobe marker for CMYK"
    length = struct.unpack(">H", data[app14 + 2:app14 + 4])[0]
    if variant == "no-adobe":
        return data[:app14] + data[app14 + 2 + length:]
    if variant == "ycck":
        transform = app14 + 4 + 11  # "Adobe", version, flags0, flags1, then the transform byte
        assert data[transform] == 0
        return data[:transform] + b"\x02" + data[transform + 1:]
    return data


# Images PIL converts with rules of its own (issue #2): name, seed, width, height, generator, format.
# Small: these are about decoding, the resize is proven on the 8-bit ones above.
DECODE_IMAGES = [
    ("gray16-40x32.png", 11, 40, 32, lambda s, w, h: png16_image(s, w, h, 0), "png16"),
    ("gray16-alpha-40x32.png", 12, 40, 32, lambda s, w, h: png16_image(s, w, h, 4), "png16"),
    ("rgb16-40x32.png", 13, 40, 32, lambda s, w, h: png16_image(s, w, h, 2), "png16"),
    ("rgba16-32x40.png", 14, 32, 40, lambda s, w, h: png16_image(s, w, h, 6), "png16"),
    ("cmyk-adobe-64x48.jpg", 15, 64, 48, lambda s, w, h: cmyk_jpeg(s, w, h, "adobe"), "jpeg-cmyk"),
    ("cmyk-no-adobe-64x48.jpg", 15, 64, 48, lambda s, w, h: cmyk_jpeg(s, w, h, "no-adobe"), "jpeg-cmyk"),
    ("ycck-adobe-48x64.jpg", 16, 48, 64, lambda s, w, h: cmyk_jpeg(s, w, h, "ycck"), "jpeg-cmyk"),
]


def low_bit_grey_png(seed, width, height, bits, transparent=None):
    """A grey PNG of 1, 2 or 4 bits a sample, optionally with a tRNS level (Pillow writes only 1-bit
    and 8-bit grey). PIL opens it as mode 1 or L, scaling the levels to 0..255 (L;2 x85, L;4 x17);
    with tRNS, ImageIO makes it grey+alpha."""
    import struct  # here, not at the top: see png16
    import zlib
    levels = (1 << bits) - 1
    samples = [v * levels // 255 for v in generated(seed, width, height, "L").getdata()]
    raw = b""
    for y in range(height):
        row = bytearray((width * bits + 7) // 8)
        for x, v in enumerate(samples[y * width:(y + 1) * width]):
            row[x * bits // 8] |= v << (8 - bits - x * bits % 8)
        raw += b"\0" + bytes(row)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    transparency = chunk(b"tRNS", struct.pack(">H", transparent)) if transparent is not None else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bits, 0, 0, 0, 0))
            + transparency + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def rgb565_bmp(seed, width, height):
    """A 16-bit BMP with BI_BITFIELDS masks 565 (Pillow cannot write one). PIL widens the channels
    with v * 255 / max truncated (its BGR;16 unpacker); ImageIO's getRGB rounds."""
    import struct  # here, not at the top: see png16
    pixels = list(generated(seed, width, height).getdata())
    rows = b""
    for y in reversed(range(height)):  # bottom-up
        row = b"".join(struct.pack("<H", (r >> 3) << 11 | (g >> 2) << 5 | b >> 3) for r, g, b in pixels[y * width:(y + 1) * width])
        rows += row + b"\0" * (-len(row) % 4)
    masks = struct.pack("<III", 0xF800, 0x07E0, 0x001F)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 16, 3, len(rows), 2835, 2835, 0, 0)
    offset = 14 + len(info) + len(masks)
    return b"BM" + struct.pack("<IHHI", offset + len(rows), 0, 0, offset) + info + masks + rows


def saved(image, fmt, **options):
    data = io.BytesIO()
    image.save(data, fmt, **options)
    return data.getvalue()


# Formats whose decoding ImageIO and PIL might do differently (issue #2): low-bit grey and palette
# PNG, GIF (with a transparent index, which convert("RGB") drops), BMP (24-, 1- and 16-bit). Tiny, and compared pixel for
# pixel only: the resize and the network are proven on the images above, and 2000 logits an image
# would cost more than the images themselves. name, seed, generator.
PIXEL_IMAGES = [
    ("grey1-24x16.png", 31, lambda s, w, h: low_bit_grey_png(s, w, h, 1)),
    ("grey2-24x16.png", 32, lambda s, w, h: low_bit_grey_png(s, w, h, 2)),
    ("grey4-24x16.png", 33, lambda s, w, h: low_bit_grey_png(s, w, h, 4)),
    ("grey2-trns-24x16.png", 34, lambda s, w, h: low_bit_grey_png(s, w, h, 2, transparent=1)),
    ("palette1-24x16.png", 35, lambda s, w, h: saved(generated(s, w, h).quantize(2), "PNG", bits=1)),
    ("palette2-24x16.png", 36, lambda s, w, h: saved(generated(s, w, h).quantize(4), "PNG", bits=2)),
    ("palette4-24x16.png", 37, lambda s, w, h: saved(generated(s, w, h).quantize(16), "PNG", bits=4)),
    ("palette-trns-24x16.gif", 38, lambda s, w, h: saved(generated(s, w, h).quantize(32), "GIF", transparency=3)),
    ("rgb-24x16.bmp", 39, lambda s, w, h: saved(generated(s, w, h), "BMP")),
    ("mono-24x16.bmp", 41, lambda s, w, h: saved(generated(s, w, h, "1"), "BMP")),
    ("rgb565-24x16.bmp", 44, rgb565_bmp),
]


def pil_refuses(data):
    """PIL's error for bytes a PyTorch reference could not classify, or None if it decodes them."""
    try:
        Image.open(io.BytesIO(data)).convert("RGB")
        return None
    except (OSError, SyntaxError) as e:
        return str(e)


def cut_in_entropy_data(data):
    """The first 60% of a baseline JPEG, checked to end inside the scan's entropy-coded data."""
    start_of_scan = data.find(b"\xff\xda")
    cut = data[:len(data) * 6 // 10]
    assert 0 < start_of_scan < len(cut) - 4, "the cut is not inside the entropy-coded data"
    return cut


def cut_in_idat(data):
    """The first 60% of a PNG with one IDAT chunk, checked to end inside that chunk's data."""
    idat = data.find(b"IDAT")
    cut = data[:len(data) * 6 // 10]
    assert 0 < idat < len(cut) - 4 and data.find(b"IEND") > len(cut), "the cut is not inside IDAT"
    return cut


# Files that end before their image does; PIL's convert("RGB") raises "image file is truncated".
# name, seed, generator (of the whole file), the cut.
TRUNCATED_IMAGES = [
    ("truncated-rgb-32x24.jpg", 42, lambda s, w, h: saved(generated(s, w, h), "JPEG", quality=85), cut_in_entropy_data),
    ("truncated-rgb-32x24.png", 43, lambda s, w, h: saved(generated(s, w, h), "PNG"), cut_in_idat),
]

# Prefixes of the fixtures above that PIL refuses as truncated too; logits.json gives the length
# kept, so they cost no file: name, bytes kept (from the length), what the cut leaves out.
TRUNCATED_PREFIXES = [
    ("rgb-64x64.jpg", lambda n: n - 2, "the EOI marker alone"),
    ("rgb-320x200.jpg", lambda n: n - 1, "the second byte of EOI"),
    ("ycck-adobe-48x64.jpg", lambda n: n * 6 // 10, "entropy-coded data of a 4-component JPEG"),
    ("rgb16-40x32.png", lambda n: n * 6 // 10, "IDAT data of a 16-bit PNG"),
    ("palette-trns-24x16.gif", lambda n: n * 6 // 10, "LZW data"),
    ("rgb-24x16.bmp", lambda n: n * 6 // 10, "pixel rows"),
]

# Bytes after EOI, IEND, the GIF trailer or a BMP's pixels, which PIL ignores: a second SOI, a
# chunk-like tail, zeros. The test appends them (logits.json's trailingGarbage) to the fixture
# and expects the pixels it decodes without them.
TRAILING_GARBAGE = bytes.fromhex("ffd8ffe000104a46494600") + b"\0\0\0\x04IDATjunk" + b"\0" * 16
TRAILING_GARBAGE_IMAGES = ["rgb-64x64.jpg", "rgb-64x64.png", "palette-trns-24x16.gif", "rgb-24x16.bmp"]


def same_model(path, traced):
    """Whether the saved model has these weights and this code. The file also holds trace debug
    info (this script's absolute path and line numbers), which differs from checkout to checkout
    and from edit to edit; rewriting it for that alone would change a committed fixture for nothing."""
    if not os.path.exists(path):
        return False
    saved = torch.jit.load(path)
    mine, theirs = traced.state_dict(), saved.state_dict()
    return (saved.code == traced.code and mine.keys() == theirs.keys()
            and all(torch.equal(mine[k], theirs[k]) for k in mine))


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
    model_path = os.path.join(OUT, "tiny.pt")
    if not same_model(model_path, traced):
        traced.save(model_path)
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

    for name, seed, width, height, make, fmt in DECODE_IMAGES:
        data = make(seed, width, height)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        opened = Image.open(io.BytesIO(data))
        decoded = opened.convert("RGB")
        entry = {"image": name, "width": width, "height": height, "format": fmt, "pilMode": opened.mode}
        with torch.no_grad():
            entry["cse546"] = rounded(traced(CSE546(decoded).unsqueeze(0))[0])
            entry["imagenet"] = rounded(traced(IMAGENET_TENSOR(IMAGENET_RESIZE_CROP(decoded)).unsqueeze(0))[0])
        decoded_name = name.rsplit(".", 1)[0] + ".pil-decoded.png"
        same = next((e for e in fixtures if e.get("pilDecoded") and e["width"] == width and e["height"] == height
                     and Image.open(os.path.join(OUT, e["pilDecoded"])).tobytes() == decoded.tobytes()), None)
        if same:  # the JPEG without its Adobe marker decodes to the same pixels: one file for both
            decoded_name = same["pilDecoded"]
        else:
            decoded.save(os.path.join(OUT, decoded_name), "PNG", optimize=True)
        entry["pilDecoded"] = decoded_name
        fixtures.append(entry)

    for name, seed, make in PIXEL_IMAGES:
        width, height = 24, 16
        data = make(seed, width, height)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        opened = Image.open(io.BytesIO(data))
        decoded = opened.convert("RGB")
        decoded_name = name.rsplit(".", 1)[0] + ".pil-decoded.png"
        # Re-made from the bytes: convert() keeps a transparency entry that an RGB PNG cannot store.
        Image.frombytes("RGB", decoded.size, decoded.tobytes()).save(os.path.join(OUT, decoded_name), "PNG", optimize=True)
        fixtures.append({"image": name, "width": width, "height": height, "format": "pixels",
                         "pilMode": opened.mode, "pilDecoded": decoded_name})

    for name, seed, make, cut in TRUNCATED_IMAGES:
        whole = make(seed, 32, 24)
        assert pil_refuses(whole) is None
        data = cut(whole)
        refusal = pil_refuses(data)
        assert refusal and refusal.startswith("image file is truncated"), f"{name}: PIL says {refusal!r}"
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        fixtures.append({"image": name, "format": "truncated", "bytes": len(data), "pilError": refusal})

    for name, keep, missing in TRUNCATED_PREFIXES:
        with open(os.path.join(OUT, name), "rb") as f:
            whole = f.read()
        refusal = pil_refuses(whole[:keep(len(whole))])
        assert refusal and refusal.startswith("image file is truncated"), f"{name} without {missing}: PIL says {refusal!r}"
        fixtures.append({"image": name, "format": "truncated", "bytes": keep(len(whole)), "pilError": refusal})

    for name in TRAILING_GARBAGE_IMAGES:
        with open(os.path.join(OUT, name), "rb") as f:
            data = f.read()
        pixels = Image.open(io.BytesIO(data)).convert("RGB").tobytes()
        assert pil_refuses(data + TRAILING_GARBAGE) is None
        assert Image.open(io.BytesIO(data + TRAILING_GARBAGE)).convert("RGB").tobytes() == pixels, name
        fixtures.append({"image": name, "format": "trailing-garbage"})

    header = {
        "note": "logits rounded to 6 decimals",
        "generator": "app-tier/src/test/python/make_equivalence_fixtures.py",
        "torch": torch.__version__, "torchvision": torchvision.__version__, "pillow": PIL.__version__,
        "python": sys.version.split()[0],
        "model": "tiny.pt", "labels": "labels.txt",
        "trailingGarbage": TRAILING_GARBAGE.hex(),  # appended to the trailing-garbage images
    }
    with open(os.path.join(OUT, "logits.json"), "w") as f:  # one image a line: readable, and small
        f.write(json.dumps(header, indent=1)[:-2] + ',\n "images": [\n')
        f.write(",\n".join(json.dumps(entry, separators=(",", ":")) for entry in fixtures))
        f.write("\n ]\n}\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
