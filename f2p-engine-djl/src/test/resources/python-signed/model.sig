{
    "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
    "verificationMaterial": {
        "publicKey": {
            "hint": "e7369db78a944a1a1bfb2a5233c84c8e7ef82ccaa0d519e5535e1377a7807c4e"
        },
        "tlogEntries": []
    },
    "dsseEnvelope": {
        "payload": "ewogICJfdHlwZSI6ICJodHRwczovL2luLXRvdG8uaW8vU3RhdGVtZW50L3YxIiwKICAic3ViamVjdCI6IFsKICAgIHsKICAgICAgIm5hbWUiOiAicHl0aG9uLXNpZ25lZCIsCiAgICAgICJkaWdlc3QiOiB7CiAgICAgICAgInNoYTI1NiI6ICJjZjViZWI5MTM4NjI0MDJmMzJlYTJlYmJjY2NlNDNiNDA1ZjkxOTAyMGJkNTI0MTYyZWZlODQ2MTdlYTcxYjk0IgogICAgICB9CiAgICB9CiAgXSwKICAicHJlZGljYXRlVHlwZSI6ICJodHRwczovL21vZGVsX3NpZ25pbmcvc2lnbmF0dXJlL3YxLjAiLAogICJwcmVkaWNhdGUiOiB7CiAgICAicmVzb3VyY2VzIjogWwogICAgICB7CiAgICAgICAgImRpZ2VzdCI6ICIzNDJlNzM2YWExNWNhZmQ5NGM4YzJjOWFjNGUzMDY2YTU1YWZjYzQwNWI0NmMwMzNkMGNkMjNlN2M3MTJlMGU4IiwKICAgICAgICAiYWxnb3JpdGhtIjogInNoYTI1NiIsCiAgICAgICAgIm5hbWUiOiAiYnVuZGxlLmpzb24iCiAgICAgIH0sCiAgICAgIHsKICAgICAgICAiZGlnZXN0IjogIjgzZWNhN2Q4MDA2MzFkYTI5NWRkNmY3ZGQyZmZlMjc1MTE2ZmNkZDQzMWNjMWNiZDg0ZGUwMWNlYjdlZDc0YzEiLAogICAgICAgICJhbGdvcml0aG0iOiAic2hhMjU2IiwKICAgICAgICAibmFtZSI6ICJtb2RlbC5wdCIKICAgICAgfQogICAgXSwKICAgICJzZXJpYWxpemF0aW9uIjogewogICAgICAibWV0aG9kIjogImZpbGVzIiwKICAgICAgImlnbm9yZV9wYXRocyI6IFsKICAgICAgICAiLmdpdCIsCiAgICAgICAgIi5naXRpZ25vcmUiLAogICAgICAgICIuZ2l0YXR0cmlidXRlcyIsCiAgICAgICAgIi5naXRodWIiLAogICAgICAgICJtb2RlbC5zaWciCiAgICAgIF0sCiAgICAgICJoYXNoX3R5cGUiOiAic2hhMjU2IiwKICAgICAgImFsbG93X3N5bWxpbmtzIjogZmFsc2UKICAgIH0KICB9Cn0=",
        "payloadType": "application/vnd.in-toto+json",
        "signatures": [
            {
                "sig": "MEUCIHmO2ZQ4IoLyWkpCvC5cVBnyQmBbgOkg1CWecr4PeQRdAiEA1fwqAAEdJ1XJVsu1ZcwxC9u+1LvmxG0FZkPEmiR9VV8=",
                "keyid": ""
            }
        ]
    }
}