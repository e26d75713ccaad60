#!/usr/bin/env bash
# Checks a model server the way f2p-engine-remote uses it: readiness, the pinned model, one real edit of a
# generated 512x512 test face, and that the answer is exactly one PNG of that size. Needs curl and python3.
#
#   check-gpu-deployment.sh openai   URL MODEL          [curl TLS options: --cacert F --cert F --key F]
#   check-gpu-deployment.sh oip-rest URL MODEL VERSION  [curl TLS options]   (VERSION "-" for none)
#
# Set F2P_MODEL_TOKEN to send a bearer token. Exit status 0 only when every check passed.
set -euo pipefail

protocol=${1:?protocol: openai or oip-rest}
url=${2:?base URL}
model=${3:?model name}
shift 3
version=""
if [[ $protocol == oip-rest ]]; then
  version=${1:?model version, or - for none}
  shift
  [[ $version == - ]] && version=""
fi
curl_opts=(--silent --show-error --fail-with-body --max-time 600 "$@")
[[ -n ${F2P_MODEL_TOKEN:-} ]] && curl_opts+=(-H "Authorization: Bearer ${F2P_MODEL_TOKEN}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; exit 1; }

# A test face: an oval on a background, 256x256 RGB PNG, written with the standard library only.
python3 - "$work/face.png" <<'PY'
import struct, sys, zlib
w = h = 256
rows = bytearray()
for y in range(h):
    rows.append(0)
    for x in range(w):
        inside = ((x - 128) / 70) ** 2 + ((y - 120) / 95) ** 2 <= 1
        rows.extend((224, 180, 150) if inside else (40, 60, 90))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))
PY

check_png() {  # file width height
  python3 - "$1" "$2" "$3" <<'PY' || fail "the answer is not one ${2}x${3} PNG"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (int(sys.argv[2]), int(sys.argv[3])), "size %dx%d" % (w, h)
PY
  ok "the answer is a ${2}x${3} PNG ($(wc -c < "$1") bytes)"
}

case $protocol in
  openai)
    curl "${curl_opts[@]}" "$url/v1/models" > "$work/models.json" || fail "GET /v1/models"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(m.get("id")==sys.argv[2] for m in d.get("data",[])) else 1)' \
      "$work/models.json" "$model" || fail "the server does not list model $model"
    ok "model $model is served"
    start=$(date +%s.%N)
    curl "${curl_opts[@]}" "$url/v1/images/edits" -F "model=$model" -F "image=@$work/face.png;type=image/png" \
      -F "prompt=a natural photo of this person, soft daylight" -F "size=512x512" -F "n=1" \
      -F "response_format=b64_json" -F "output_format=png" -F "num_inference_steps=20" -F "guidance_scale=4.0" \
      -F "seed=42" > "$work/answer.json" || fail "POST /v1/images/edits"
    end=$(date +%s.%N)
    python3 -c 'import base64,json,sys; d=json.load(open(sys.argv[1]))["data"]; assert len(d)==1; open(sys.argv[2],"wb").write(base64.b64decode(d[0]["b64_json"]))' \
      "$work/answer.json" "$work/out.png" || fail "the answer does not hold one b64_json image"
    ;;
  oip-rest)
    path="v2/models/$model${version:+/versions/$version}"
    curl "${curl_opts[@]}" -o /dev/null "$url/v2/health/ready" || fail "server not ready"
    curl "${curl_opts[@]}" -o /dev/null "$url/$path/ready" || fail "model not ready"
    curl "${curl_opts[@]}" "$url/$path" > "$work/meta.json" || fail "model metadata"
    python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["name"]==sys.argv[2]; assert not sys.argv[3] or sys.argv[3] in m.get("versions",[])' \
      "$work/meta.json" "$model" "$version" || fail "the metadata names another model or version"
    ok "model $model${version:+ version $version} is ready"
    python3 - "$work/face.png" "$work/request.json" <<'PY'
import base64, json, sys
image = base64.b64encode(open(sys.argv[1], "rb").read()).decode()
def text(name, value):
    return {"name": name, "shape": [1], "datatype": "BYTES", "data": [value], "parameters": {"content_type": "str"}}
json.dump({"id": "deployment-check",
           "parameters": {"steps": 20, "guidance": 4.0, "seed": 42, "width": 512, "height": 512, "timeout": 600000000},
           "inputs": [{"name": "image", "shape": [1], "datatype": "BYTES", "data": [image],
                       "parameters": {"content_type": "base64"}},
                      text("prompt", "a natural photo of this person, soft daylight"), text("negative_prompt", "")],
           "outputs": [{"name": "image"}]}, open(sys.argv[2], "w"))
PY
    start=$(date +%s.%N)
    curl "${curl_opts[@]}" -H "Content-Type: application/json" --data-binary "@$work/request.json" \
      "$url/$path/infer" > "$work/answer.json" || fail "POST $path/infer"
    end=$(date +%s.%N)
    python3 -c 'import base64,json,sys; a=json.load(open(sys.argv[1])); assert a["model_name"]==sys.argv[3]; o=a["outputs"]; assert len(o)==1 and o[0]["name"]=="image"; open(sys.argv[2],"wb").write(base64.b64decode(o[0]["data"][0]))' \
      "$work/answer.json" "$work/out.png" "$model" || fail "the answer is not one image output from $model"
    ;;
  *) fail "protocol must be openai or oip-rest (check gRPC through the guard itself)" ;;
esac
check_png "$work/out.png" 512 512
ok "$(python3 -c "print('one edit took %.1f s' % ($end - $start))")"
