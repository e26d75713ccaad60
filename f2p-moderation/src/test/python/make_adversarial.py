#!/usr/bin/python3
"""Makes the test fixtures that the converted classifier calls Porn, Hentai and Sexy without showing anything.

A test of a content refusal needs an output the classifier refuses; committing explicit pictures is not an
option. These are crafted instead, as an attacker probing the classifier would: projected gradient ascent on
the class probability, starting from a flat grey picture, through the very model file and preprocessing
the library uses (224x224, so nsfwjs does not resize; values / 255). Each result is noise-like, shows
nothing, and is saved as 8-bit RGB PNG; the script checks that the rounded pixels still score above 0.95.

    /usr/bin/python3 f2p-moderation/src/test/python/make_adversarial.py \
        models/nsfwjs-mobilenet-v2/nsfwjs-mobilenet-v2.pt f2p-moderation/src/test/resources/adversarial
"""
import os
import struct
import sys
import zlib

import numpy as np
import torch

CLASSES = ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"]
TARGETS = ["Porn", "Hentai", "Sexy"]
SIZE = 224


def write_png(path, rgb):
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def craft(model, target, steps=200, step_size=2.0 / 255):
    torch.manual_seed(CLASSES.index(target))
    x = torch.full((1, 3, SIZE, SIZE), 0.5) + 0.02 * torch.randn(1, 3, SIZE, SIZE)
    x = x.clamp(0, 1)
    for _ in range(steps):
        x.requires_grad_(True)
        loss = torch.log(model(x)[0, CLASSES.index(target)])
        (grad,) = torch.autograd.grad(loss, x)
        with torch.no_grad():
            x = (x + step_size * grad.sign()).clamp(0, 1)
            rounded = torch.round(x * 255) / 255
            if model(rounded)[0, CLASSES.index(target)].item() > 0.99:
                break
    return (torch.round(x.detach() * 255)).to(torch.uint8)[0].permute(1, 2, 0).numpy()


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    model = torch.jit.load(argv[1])
    model.eval()
    os.makedirs(argv[2], exist_ok=True)
    for target in TARGETS:
        rgb = craft(model, target)
        with torch.no_grad():
            p = model(torch.from_numpy(rgb.astype(np.float32) / 255).permute(2, 0, 1)[None])[0]
        score = p[CLASSES.index(target)].item()
        print("%s: %s" % (target, ", ".join("%s %.4f" % (c, v) for c, v in zip(CLASSES, p.tolist()))))
        if score < 0.95:
            raise SystemExit("%s scored only %.3f after rounding" % (target, score))
        write_png(os.path.join(argv[2], "crafted-%s.png" % target.lower()), np.ascontiguousarray(rgb))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
