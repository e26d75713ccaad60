#!/usr/bin/python3
"""Signs a directory the way the OMS reference tool (model_signing, `key` method) does, with Python's own
`cryptography` package (Debian python3-cryptography), independently of our Java signer: a bundle made
here must verify in Java (same spec, same bytes). Writes DIR/model.sig.

    /usr/bin/python3 sign_like_reference.py DIR PRIVATE_KEY.pem
"""
import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

IGNORES = [".git", ".gitignore", ".gitattributes", ".github", "model.sig"]


def main(directory, key_file):
    with open(key_file, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    resources = []
    for root, dirs, files in os.walk(directory):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), directory).replace(os.sep, "/")
            if rel.split("/")[0] in IGNORES:
                continue
            with open(os.path.join(root, name), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            resources.append({"digest": digest, "algorithm": "sha256", "name": rel})
    resources.sort(key=lambda r: r["name"])
    root_digest = hashlib.sha256(b"".join(bytes.fromhex(r["digest"]) for r in resources)).hexdigest()
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": os.path.basename(os.path.abspath(directory)), "digest": {"sha256": root_digest}}],
        "predicateType": "https://model_signing/signature/v1.0",
        "predicate": {
            "resources": resources,
            "serialization": {"method": "files", "ignore_paths": IGNORES, "hash_type": "sha256",
                              "allow_symlinks": False},
        },
    }
    payload = json.dumps(statement, indent=2).encode()
    payload_type = "application/vnd.in-toto+json"
    pae = b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(payload), payload)
    signature = key.sign(pae, ec.ECDSA(hashes.SHA256()))
    public_der = key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    bundle = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"publicKey": {"hint": hashlib.sha256(public_der).hexdigest()}, "tlogEntries": []},
        "dsseEnvelope": {
            "payload": base64.b64encode(payload).decode(),
            "payloadType": payload_type,
            "signatures": [{"sig": base64.b64encode(signature).decode(), "keyid": ""}],
        },
    }
    with open(os.path.join(directory, "model.sig"), "w") as f:
        json.dump(bundle, f, indent=4)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
