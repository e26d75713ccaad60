#!/usr/bin/python3
"""A model server for the remote engine's tests: the OpenAI images edit API (as vLLM-Omni serves it) and the
Open Inference Protocol v2 over REST (with Triton's binary tensor extension), on Debian's FastAPI and uvicorn.

It is not a model: it answers with a PNG of the requested size whose colour is derived from the input image,
prompt and seed, so a test can tell that what came back was computed from what was sent. Faults are injected
by --fault or at run time through POST /_test/fault (never through the protocol's own paths):

  slow           wait --delay seconds before answering (and count clients that hang up meanwhile)
  busy           503 with Retry-After: 7
  too-many       429 with Retry-After: 3
  error          500
  wrong-model    health checks and metadata name another model
  answer-model   health checks pass, the inference answer names another model
  oversized      stream 8 MiB of image bytes
  not-image      answer bytes that are not a PNG
  wrong-size     a PNG twice the size asked for
  die            exit the whole process once a request body has arrived

Run: /usr/bin/python3 model_server.py --port 0 --protocol openai --model m [--version 1] [--fault none]
It prints "PORT <n>" on stdout once listening.
"""
import argparse
import asyncio
import base64
import hashlib
import json
import os
import socket
import struct
import sys
import zlib

import uvicorn
from fastapi import FastAPI, Request, Response

STATE = {"fault": "none", "delay": 0.0, "requests": 0, "disconnects": 0, "last": {}}


def png(width, height, rgb):
    """An 8-bit RGB PNG of one colour with a faint gradient, written by hand (no imaging library)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        shade = (y * 32) // max(1, height)
        rows.extend(bytes(((rgb[0] + shade) % 256, rgb[1], rgb[2])) * width)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def generate(image, prompt, seed, width, height):
    digest = hashlib.sha256(image + prompt.encode() + str(seed).encode()).digest()
    fault = STATE["fault"]
    if fault == "not-image":
        return b"GIF89a this is not what was asked for"
    if fault == "wrong-size":
        return png(width * 2, height * 2, digest[:3])
    return png(width, height, digest[:3])


async def before_answer(request):
    """Applies the faults that act before any answer; returns a response to send instead, or None."""
    STATE["requests"] += 1
    fault = STATE["fault"]
    if fault == "die":
        sys.stdout.flush()
        os._exit(3)
    if fault == "busy":
        return Response(status_code=503, headers={"Retry-After": "7"}, content=b'{"error":"busy"}',
                        media_type="application/json")
    if fault == "too-many":
        return Response(status_code=429, headers={"Retry-After": "3"}, content=b'{"error":"slow down"}',
                        media_type="application/json")
    if fault == "error":
        return Response(status_code=500, content=b'{"error":"boom"}', media_type="application/json")
    if fault == "slow":
        waited = 0.0
        while waited < STATE["delay"]:
            if await request.is_disconnected():
                STATE["disconnects"] += 1
                return Response(status_code=499)
            await asyncio.sleep(0.02)
            waited += 0.02
    return None


def model_name(args):
    return "another-model" if STATE["fault"] == "wrong-model" else args.model


def build(args):
    app = FastAPI()

    @app.post("/_test/fault")
    async def set_fault(request: Request):
        body = await request.json()
        STATE["fault"] = body.get("fault", "none")
        STATE["delay"] = float(body.get("delay", 0))
        return {"fault": STATE["fault"]}

    @app.get("/_test/stats")
    async def stats():
        return {"requests": STATE["requests"], "disconnects": STATE["disconnects"], "last": STATE["last"]}

    # ---- OpenAI images edit API (vLLM-Omni) ----
    @app.get("/v1/models")
    async def models():
        return {"object": "list", "data": [{"id": model_name(args), "object": "model"}]}

    @app.post("/v1/images/edits")
    async def edits(request: Request):
        form = await request.form()
        image = await form["image"].read()
        fields = {k: v for k, v in form.items() if k != "image"}
        STATE["last"] = {"fields": fields, "image_size": list(png_size(image) or []),
                         "image_type": form["image"].content_type,
                         "authorization": request.headers.get("authorization", "")}
        early = await before_answer(request)
        if early is not None:
            return early
        width, height = (int(x) for x in fields["size"].split("x"))
        out = generate(image, fields["prompt"], fields.get("seed", ""), width, height)
        if STATE["fault"] == "oversized":
            return oversized_json()
        return {"created": 0, "data": [{"b64_json": base64.b64encode(out).decode(), "url": None,
                                        "revised_prompt": None}]}

    # ---- Open Inference Protocol v2, REST ----
    @app.get("/v2/health/live")
    async def live():
        return Response(status_code=200)

    @app.get("/v2/health/ready")
    async def ready():
        return Response(status_code=200)

    def known(name, version):
        return name == args.model and (version is None or version == args.version)

    def metadata():
        return {"name": model_name(args), "versions": [args.version] if args.version else [], "platform": "f2p_test",
                "inputs": [{"name": "image", "datatype": "BYTES", "shape": [1]},
                           {"name": "prompt", "datatype": "BYTES", "shape": [1]},
                           {"name": "negative_prompt", "datatype": "BYTES", "shape": [1]}],
                "outputs": [{"name": "image", "datatype": "BYTES", "shape": [1]}]}

    @app.get("/v2/models/{name}/versions/{version}/ready")
    async def model_ready_v(name: str, version: str):
        return Response(status_code=200 if known(name, version) else 404)

    @app.get("/v2/models/{name}/ready")
    async def model_ready(name: str):
        return Response(status_code=200 if known(name, None) else 404)

    @app.get("/v2/models/{name}/versions/{version}")
    async def model_metadata_v(name: str, version: str):
        return metadata() if known(name, version) else Response(status_code=404)

    @app.get("/v2/models/{name}")
    async def model_metadata(name: str):
        return metadata() if known(name, None) else Response(status_code=404)

    @app.post("/v2/models/{name}/versions/{version}/infer")
    async def infer_v(name: str, version: str, request: Request):
        return await infer(name, request)

    @app.post("/v2/models/{name}/infer")
    async def infer_unversioned(name: str, request: Request):
        return await infer(name, request)

    async def infer(name, request):
        body = await request.body()
        header_length = request.headers.get("inference-header-content-length")
        if header_length is not None:
            header = json.loads(body[: int(header_length)])
            tail = body[int(header_length):]
        else:
            header = json.loads(body)
            tail = b""
        tensors = {}
        offset = 0
        for tensor in header["inputs"]:
            params = tensor.get("parameters", {})
            if "binary_data_size" in params:
                size = params["binary_data_size"]
                raw = tail[offset: offset + size]
                offset += size
                (length,) = struct.unpack("<I", raw[:4])
                tensors[tensor["name"]] = raw[4: 4 + length]
            elif params.get("content_type") == "base64":
                tensors[tensor["name"]] = base64.b64decode(tensor["data"][0])
            else:
                tensors[tensor["name"]] = tensor["data"][0].encode()
        parameters = header.get("parameters", {})
        STATE["last"] = {"parameters": parameters, "inputs": sorted(tensors),
                         "image_size": list(png_size(tensors.get("image", b"")) or []),
                         "prompt": tensors.get("prompt", b"").decode(),
                         "negative_prompt": tensors.get("negative_prompt", b"").decode(),
                         "binary": header_length is not None,
                         "authorization": request.headers.get("authorization", "")}
        early = await before_answer(request)
        if early is not None:
            return early
        out = generate(tensors["image"], tensors["prompt"].decode(), parameters.get("seed"),
                       int(parameters["width"]), int(parameters["height"]))
        answer_model = "another-model" if STATE["fault"] == "answer-model" else name
        if STATE["fault"] == "oversized":
            out = out + bytes(8 << 20)
        wants_binary = any(o.get("parameters", {}).get("binary_data") for o in header.get("outputs", []))
        response = {"model_name": answer_model, "id": header.get("id", ""),
                    "outputs": [{"name": "image", "datatype": "BYTES", "shape": [1]}]}
        if args.version:
            response["model_version"] = args.version
        if wants_binary:
            raw = struct.pack("<I", len(out)) + out
            response["outputs"][0]["parameters"] = {"binary_data_size": len(raw)}
            head = json.dumps(response).encode()
            return Response(content=head + raw, media_type="application/octet-stream",
                            headers={"Inference-Header-Content-Length": str(len(head))})
        response["outputs"][0]["data"] = [base64.b64encode(out).decode()]
        response["outputs"][0]["parameters"] = {"content_type": "base64"}
        return response

    return app


def oversized_json():
    async def stream():
        yield b'{"data":[{"b64_json":"'
        for _ in range(128):
            yield b"A" * (64 << 10)
        yield b'"}]}'

    from starlette.responses import StreamingResponse
    return StreamingResponse(stream(), media_type="application/json")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--model", required=True)
    parser.add_argument("--version", default="")
    parser.add_argument("--fault", default="none")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    parser.add_argument("--client-ca")
    args = parser.parse_args()
    STATE["fault"] = args.fault
    STATE["delay"] = args.delay
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    print("PORT %d" % sock.getsockname()[1], flush=True)
    options = {}
    if args.certfile:
        import ssl
        options = {"ssl_certfile": args.certfile, "ssl_keyfile": args.keyfile}
        if args.client_ca:
            options.update({"ssl_ca_certs": args.client_ca, "ssl_cert_reqs": ssl.CERT_REQUIRED})
    config = uvicorn.Config(build(args), log_level="warning", access_log=False, **options)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
