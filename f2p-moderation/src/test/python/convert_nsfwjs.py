#!/usr/bin/python3
"""Converts the MobileNetV2 NSFW classifier that nsfwjs 4.4.0 ships into a TorchScript file.

Run with Debian's python3-torch (1.13):

    npm install --prefix /tmp/nsfwjs --no-save --ignore-scripts nsfwjs@4.4.0
    node f2p-moderation/src/test/node/extract_model.cjs /tmp/nsfwjs/node_modules /tmp/nsfwjs/extracted
    /usr/bin/python3 f2p-moderation/src/test/python/convert_nsfwjs.py /tmp/nsfwjs/extracted \
        models/nsfwjs-mobilenet-v2/nsfwjs-mobilenet-v2.pt

The input is the tfjs Layers model (Keras topology in model.json, one uint8-quantised weight shard). The
graph is rebuilt layer by layer from that topology, with TensorFlow's semantics where PyTorch differs:

- tensors are NCHW here and NHWC in the original; kernels are transposed to match, and Flatten flattens in
  NHWC order so a Dense layer after it sees its inputs in the trained order;
- 'same' padding is TensorFlow's, which puts the odd pixel after (bottom, right), not symmetric;
- weights are dequantised as tfjs does (q * scale + min, in float32);
- BatchNormalization (inference: moving mean and variance, the layer's epsilon) is folded into the
  convolution before it, checked against the unfolded graph below;
- ReLU with max_value 6 is ReLU6; Dropout is the identity at inference; the last Dense keeps its softmax.

The saved module takes float32 [N, 3, 224, 224] with values in [0, 1] (nsfwjs divides by 255, then resizes
bilinearly with align_corners=true; that preprocessing is the Java caller's) and returns the five class
probabilities [N, 5] in nsfwjs's order: Drawing, Hentai, Neutral, Porn, Sexy.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SIZE = 224
CLASSES = ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"]


def load_weights(folder):
    with open(os.path.join(folder, "model.json"), encoding="utf-8") as f:
        model = json.load(f)
    with open(os.path.join(folder, "group1-shard1of1.bin"), "rb") as f:
        data = f.read()
    weights = {}
    offset = 0
    for spec in model["weightsManifest"][0]["weights"]:
        count = int(np.prod(spec["shape"])) if spec["shape"] else 1
        q = spec.get("quantization")
        if spec["dtype"] != "float32":
            raise ValueError("unsupported weight dtype %s for %s" % (spec["dtype"], spec["name"]))
        if q is None:
            values = np.frombuffer(data, dtype="<f4", count=count, offset=offset)
            offset += 4 * count
        elif q["dtype"] == "uint8":
            raw = np.frombuffer(data, dtype=np.uint8, count=count, offset=offset)
            # tfjs: Float32Array.from(quantized, v => v * scale + min), computed in double.
            values = (raw.astype(np.float64) * q["scale"] + q["min"]).astype(np.float32)
            offset += count
        else:
            raise ValueError("unsupported quantisation %s for %s" % (q["dtype"], spec["name"]))
        weights[spec["name"]] = torch.from_numpy(values.reshape(spec["shape"]).copy())
    if offset != len(data):
        raise ValueError("weights manifest covers %d of %d bytes" % (offset, len(data)))
    return model["modelTopology"]["model_config"]["config"], weights


def same_padding(size, kernel, stride, dilation=1):
    """TensorFlow's SAME padding for one axis: (before, after), the odd pixel after."""
    effective = (kernel - 1) * dilation + 1
    if stride == 1:
        # Independent of the size, so the trace records no shape-dependent constant.
        total = effective - 1
        return total // 2, total - total // 2
    out = math.ceil(int(size) / stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


class KerasGraph(nn.Module):
    """Runs a Keras functional graph (the layer types MobileNetV2 needs) in NCHW."""

    def __init__(self, config, weights, fold_batch_norm):
        super().__init__()
        self.layers = config["layers"]
        self.output_name = config["output_layers"][0][0]
        self.input_name = config["input_layers"][0][0]
        consumers = {}
        for layer in self.layers:
            for inbound in self.inbound(layer):
                consumers.setdefault(inbound, []).append(layer["name"])
        by_name = {layer["name"]: layer for layer in self.layers}
        self.folded = set()
        self.modules_by_layer = nn.ModuleDict()
        for layer in self.layers:
            kind, c, name = layer["class_name"], layer["config"], layer["name"]
            if c.get("data_format", "channels_last") != "channels_last":
                raise ValueError("%s: only channels_last is supported" % name)
            if kind in ("Conv2D", "DepthwiseConv2D"):
                self.modules_by_layer[name] = self.conv(layer, weights)
                bn = consumers.get(name, [])
                if (fold_batch_norm and len(bn) == 1 and by_name[bn[0]]["class_name"] == "BatchNormalization"
                        and c["activation"] == "linear"):
                    self.fold(self.modules_by_layer[name], by_name[bn[0]], weights)
                    self.folded.add(bn[0])
            elif kind == "BatchNormalization" and name not in self.folded:
                if c["axis"] not in (-1, 3):
                    raise ValueError("%s: batch norm over axis %s" % (name, c["axis"]))
                bn = nn.BatchNorm2d(weights[name + "/gamma"].numel(), eps=c["epsilon"])
                bn.weight.data = weights[name + "/gamma"]
                bn.bias.data = weights[name + "/beta"]
                bn.running_mean.data = weights[name + "/moving_mean"]
                bn.running_var.data = weights[name + "/moving_variance"]
                self.modules_by_layer[name] = bn
            elif kind == "Dense":
                linear = nn.Linear(*weights[name + "/kernel"].shape, bias=c["use_bias"])
                linear.weight.data = weights[name + "/kernel"].t().contiguous()
                if c["use_bias"]:
                    linear.bias.data = weights[name + "/bias"]
                self.modules_by_layer[name] = linear
        self.eval()

    @staticmethod
    def inbound(layer):
        nodes = layer["inbound_nodes"]
        return [entry[0] for entry in nodes[0]] if nodes else []

    @staticmethod
    def conv(layer, weights):
        c, name = layer["config"], layer["name"]
        kernel = weights[name + "/depthwise_kernel" if layer["class_name"] == "DepthwiseConv2D" else name + "/kernel"]
        if layer["class_name"] == "DepthwiseConv2D":
            kh, kw, channels, multiplier = kernel.shape
            torch_kernel = kernel.permute(2, 3, 0, 1).reshape(channels * multiplier, 1, kh, kw)
            groups = channels
        else:
            torch_kernel = kernel.permute(3, 2, 0, 1)
            groups = 1
        module = nn.Conv2d(torch_kernel.shape[1] * groups, torch_kernel.shape[0], tuple(c["kernel_size"]),
                           stride=tuple(c["strides"]), dilation=tuple(c["dilation_rate"]), groups=groups, bias=True)
        module.weight.data = torch_kernel.contiguous()
        module.bias.data = weights[name + "/bias"] if c["use_bias"] else torch.zeros(torch_kernel.shape[0])
        return module

    @staticmethod
    def fold(conv, bn_layer, weights):
        name, eps = bn_layer["name"], bn_layer["config"]["epsilon"]
        gamma = weights[name + "/gamma"].double()
        beta = weights[name + "/beta"].double()
        mean = weights[name + "/moving_mean"].double()
        var = weights[name + "/moving_variance"].double()
        scale = gamma / torch.sqrt(var + eps)
        conv.weight.data = (conv.weight.data.double() * scale.view(-1, 1, 1, 1)).float()
        conv.bias.data = ((conv.bias.data.double() - mean) * scale + beta).float()

    def forward(self, x):
        values = {self.input_name: x}
        for layer in self.layers:
            kind, c, name = layer["class_name"], layer["config"], layer["name"]
            if kind == "InputLayer":
                continue
            inputs = [values[n] for n in self.inbound(layer)]
            h = inputs[0]
            if kind == "ZeroPadding2D":
                (top, bottom), (left, right) = c["padding"]
                y = F.pad(h, (left, right, top, bottom))
            elif kind in ("Conv2D", "DepthwiseConv2D"):
                conv = self.modules_by_layer[name]
                if c["padding"] == "same":
                    top, bottom = same_padding(h.shape[2], c["kernel_size"][0], c["strides"][0], c["dilation_rate"][0])
                    left, right = same_padding(h.shape[3], c["kernel_size"][1], c["strides"][1], c["dilation_rate"][1])
                    h = F.pad(h, (left, right, top, bottom))
                elif c["padding"] != "valid":
                    raise ValueError("%s: padding %s" % (name, c["padding"]))
                y = self.activation(conv(h), c["activation"], name)
            elif kind == "BatchNormalization":
                y = h if name in self.folded else self.modules_by_layer[name](h)
            elif kind == "ReLU":
                if c.get("negative_slope", 0) != 0 or c.get("threshold", 0) != 0:
                    raise ValueError("%s: leaky or thresholded ReLU" % name)
                y = torch.relu(h) if c.get("max_value") is None else torch.clamp(h, 0.0, float(c["max_value"]))
            elif kind == "Add":
                y = inputs[0]
                for other in inputs[1:]:
                    y = y + other
            elif kind == "AveragePooling2D":
                if c["padding"] != "valid":
                    raise ValueError("%s: padding %s" % (name, c["padding"]))
                y = F.avg_pool2d(h, tuple(c["pool_size"]), tuple(c["strides"]))
            elif kind == "Flatten":
                y = h.permute(0, 2, 3, 1).flatten(1)
            elif kind == "Dense":
                y = self.activation(self.modules_by_layer[name](h), c["activation"], name)
            elif kind == "Dropout":
                y = h
            else:
                raise ValueError("unsupported layer %s (%s)" % (name, kind))
            values[name] = y
        return values[self.output_name]

    @staticmethod
    def activation(x, name, layer):
        if name == "linear":
            return x
        if name == "relu":
            return torch.relu(x)
        if name == "softmax":
            return torch.softmax(x, dim=-1)
        raise ValueError("%s: activation %s" % (layer, name))


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    folder, target = argv[1], argv[2]
    config, weights = load_weights(folder)
    torch.manual_seed(0)
    exact = KerasGraph(config, weights, fold_batch_norm=False)
    folded = KerasGraph(config, weights, fold_batch_norm=True)
    example = torch.rand(4, 3, SIZE, SIZE)
    with torch.no_grad():
        traced = torch.jit.trace(folded, example[:1])
        expected = exact(example)
        got = traced(example)
    difference = (expected - got).abs().max().item()
    print("folded batch norm: %d layers; max difference to the unfolded graph %.2e" % (len(folded.folded), difference))
    if difference > 1e-4 or not torch.allclose(got.sum(dim=1), torch.ones(4), atol=1e-5):
        raise SystemExit("the folded graph does not match the original")
    torch.jit.save(traced, target)
    print("wrote %s (%d bytes); classes %s" % (target, os.path.getsize(target), ", ".join(CLASSES)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
