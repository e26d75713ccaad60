#!/usr/bin/python3
"""Makes the tiny TorchScript test bundles under models/ (run from the repository root).

    apt-get install -y python3-torch      # Debian's torch 1.13; PyPI is not needed
    /usr/bin/python3 f2p-engine-djl/src/test/python/make_fixtures.py
    # then sign both bundles with our Java signer (the bundle command in f2p-examples):
    bundle sign models/single-pass --key models/keys/test-signing-key.pem
    bundle sign models/flow-matching --key models/keys/test-signing-key.pem

Writes models/single-pass/ and models/flow-matching/ (components, bundle.json) and prints the flow-matching
scheduler reference values that FlowMatchEulerSchedulerTest pins. Deterministic: the weights come from a
fixed seed, so running it again gives the same files.
"""
import hashlib
import json
import math
import os
import sys

import torch
import torch.nn as nn

ROOT = os.path.join(os.getcwd(), "models")
torch.manual_seed(20261124)


class PromptTint(nn.Module):
    """Single pass: a prompt-dependent colour grade and vignette plus a small learned detail filter.

    image: [1,3,H,W] float in [0,1]; tokens: [1,L] int64 (UTF-8 bytes of the prompt, 0 = padding).
    """

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(16, 4)
        self.detail1 = nn.Conv2d(3, 16, 3, padding=1)
        self.detail2 = nn.Conv2d(16, 3, 3, padding=1)
        with torch.no_grad():
            self.proj.weight.mul_(4.0)

    def forward(self, image: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        mask = (tokens > 0).to(torch.float32).unsqueeze(-1)
        k = torch.arange(1, 17, dtype=torch.float32).view(1, 1, 16)
        pos = torch.arange(tokens.shape[1], dtype=torch.float32).view(1, -1, 1)
        feat = (torch.sin(tokens.to(torch.float32).unsqueeze(-1) * k * 0.37 + pos * 0.11) * mask).sum(1)
        feat = feat / mask.sum(1).clamp(min=1.0)
        p = torch.tanh(self.proj(feat))
        gain = (1.0 + 0.6 * p[:, 0:3]).view(1, 3, 1, 1)
        strength = 0.35 + 0.3 * p[:, 3].view(1, 1, 1, 1)
        h = image.shape[2]
        w = image.shape[3]
        ys = torch.linspace(-1.0, 1.0, h).view(1, 1, h, 1)
        xs = torch.linspace(-1.0, 1.0, w).view(1, 1, 1, w)
        vignette = 1.0 - strength * (xs * xs + ys * ys) * 0.5
        detail = self.detail2(torch.relu(self.detail1(image)))
        return (image * gain * vignette + 0.05 * torch.tanh(detail)).clamp(0.0, 1.0)


class TextEncoder(nn.Module):
    """ids: [1,L] int64 -> [1,16] mean of embeddings of non-padding tokens (padding id 0)."""

    def __init__(self, vocab):
        super().__init__()
        self.emb = nn.Embedding(vocab, 16)
        self.out = nn.Linear(16, 16)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        mask = (ids > 0).to(torch.float32).unsqueeze(-1)
        e = (self.emb(ids) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return torch.tanh(self.out(e))


class VaeEncoder(nn.Module):
    """image [1,3,H,W] in [-1,1] -> latent [1,4,H/8,W/8]."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.conv(torch.nn.functional.avg_pool2d(image, 8))


class Denoiser(nn.Module):
    """(x [1,4,h,w], t [1], text [1,16], image_latent [1,4,h,w]) -> velocity [1,4,h,w]."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(8, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 4, 3, padding=1)
        self.film = nn.Linear(17, 32)

    def forward(self, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, image_latent: torch.Tensor) -> torch.Tensor:
        cond = self.film(torch.cat([text, t.view(1, 1)], dim=1))
        scale = cond[:, 0:16].view(1, 16, 1, 1)
        shift = cond[:, 16:32].view(1, 16, 1, 1)
        h = torch.relu(self.conv1(torch.cat([x, image_latent], dim=1)) * (1.0 + scale) + shift)
        return self.conv2(h)


class VaeDecoder(nn.Module):
    """latent [1,4,h,w] -> image [1,3,8h,8w] in [-1,1]."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 3, 1)

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        up = torch.nn.functional.interpolate(latent, scale_factor=8.0, mode="nearest")
        return torch.tanh(self.conv(up))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def save(module, example, directory, name):
    module.eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, example)
    path = os.path.join(directory, name)
    traced.save(path)
    return path


def component(directory, file):
    path = os.path.join(directory, file)
    return {"file": file, "sha256": sha256(path), "size": os.path.getsize(path)}


def write_manifest(directory, manifest):
    with open(os.path.join(directory, "bundle.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def single_pass():
    d = os.path.join(ROOT, "single-pass")
    os.makedirs(d, exist_ok=True)
    save(PromptTint(), (torch.rand(1, 3, 64, 64), torch.ones(1, 77, dtype=torch.int64)), d, "model.pt")
    write_manifest(d, {
        "format": "f2p-bundle/1",
        "name": "prompt-tint",
        "version": "1.0.0",
        "kind": "single-pass",
        "input": {"width": 512, "height": 512, "normalization": "zero-one", "dtype": "float32"},
        "output": {"normalization": "zero-one"},
        "prompt": {"encoding": "utf8-bytes", "max_tokens": 77},
        "components": {"model": component(d, "model.pt")},
    })


WORDS = ["a", "an", "the", "photo", "portrait", "of", "person", "man", "woman", "smiling", "in", "on", "at",
         "with", "and", "warm", "cold", "blue", "red", "green", "golden", "sunset", "night", "studio", "light",
         "beach", "city", "forest", "snow", "office", "street", "cinematic", "vintage", "film", "bright", "dark",
         "soft", "sharp", "background", "professional", "headshot", "full", "body", "standing", "sitting",
         "wearing", "suit", "dress", "hat", "glasses", "summer", "winter", "autumn", "spring", "garden", "park",
         "blurry", "ugly", "low", "quality", "realistic", "style", "color", "painting"]


def tokenizer(d):
    vocab = {"[PAD]": 0, "[UNK]": 1}
    for w in WORDS:
        vocab.setdefault(w, len(vocab))
    spec = {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": 32, "strategy": "LongestFirst", "stride": 0},
        "padding": None,
        "added_tokens": [
            {"id": 0, "content": "[PAD]", "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
            {"id": 1, "content": "[UNK]", "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
        ],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"},
    }
    with open(os.path.join(d, "tokenizer.json"), "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
    return len(vocab)


def flow_matching():
    d = os.path.join(ROOT, "flow-matching")
    os.makedirs(d, exist_ok=True)
    vocab = tokenizer(d)
    save(TextEncoder(vocab), (torch.ones(1, 32, dtype=torch.int64),), d, "text_encoder.pt")
    save(VaeEncoder(), (torch.rand(1, 3, 64, 64),), d, "vae_encoder.pt")
    save(Denoiser(), (torch.rand(1, 4, 8, 8), torch.rand(1), torch.rand(1, 16), torch.rand(1, 4, 8, 8)), d,
         "denoiser.pt")
    save(VaeDecoder(), (torch.rand(1, 4, 8, 8),), d, "vae_decoder.pt")
    write_manifest(d, {
        "format": "f2p-bundle/1",
        "name": "tiny-flow-edit",
        "version": "1.0.0",
        "kind": "flow-matching",
        "input": {"width": 64, "height": 64, "normalization": "minus-one-one", "dtype": "float32"},
        "output": {"normalization": "minus-one-one"},
        "prompt": {"encoding": "tokenizer", "max_tokens": 32},
        "scheduler": {"type": "flow-match-euler", "shift": 3.0, "latent_channels": 4, "latent_scale": 8},
        "components": {
            "tokenizer": component(d, "tokenizer.json"),
            "text_encoder": component(d, "text_encoder.pt"),
            "vae_encoder": component(d, "vae_encoder.pt"),
            "denoiser": component(d, "denoiser.pt"),
            "vae_decoder": component(d, "vae_decoder.pt"),
        },
    })


def reference_sigmas(steps, shift):
    """Flow-matching Euler sigmas as diffusers' FlowMatchEulerDiscreteScheduler makes them (static shift)."""
    sigmas = [1.0 - i / steps for i in range(steps + 1)]
    return [shift * s / (1.0 + (shift - 1.0) * s) for s in sigmas]


def main():
    single_pass()
    flow_matching()
    with open(os.path.join(ROOT, "SHA256SUMS"), "w") as out:
        for bundle in ("single-pass", "flow-matching"):
            d = os.path.join(ROOT, bundle)
            for name in sorted(os.listdir(d)):
                if name.endswith(".sig"):
                    continue
                out.write("%s  %s/%s\n" % (sha256(os.path.join(d, name)), bundle, name))
    for steps, shift in ((4, 1.0), (4, 3.0), (10, 3.0)):
        print("sigmas steps=%d shift=%s: %s" % (steps, shift, json.dumps(reference_sigmas(steps, shift))))
    # One Euler step with guidance, on a tiny vector, in float32 as the engine computes it.
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float32)
    vc = torch.tensor([0.1, 0.2, -0.3], dtype=torch.float32)
    vu = torch.tensor([0.0, 0.4, 0.1], dtype=torch.float32)
    s = reference_sigmas(4, 3.0)
    v = vu + 4.0 * (vc - vu)
    print("euler step 0 (shift 3, 4 steps, guidance 4):", json.dumps((x + (s[1] - s[0]) * v).tolist()))


if __name__ == "__main__":
    sys.exit(main())
