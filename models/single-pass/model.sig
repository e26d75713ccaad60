{
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "e7369db78a944a1a1bfb2a5233c84c8e7ef82ccaa0d519e5535e1377a7807c4e"
    },
    "tlogEntries": []
  },
  "dsseEnvelope": {
    "payload": "ewogICJfdHlwZSI6ICJodHRwczovL2luLXRvdG8uaW8vU3RhdGVtZW50L3YxIiwKICAic3ViamVjdCI6IFsKICAgIHsKICAgICAgIm5hbWUiOiAic2luZ2xlLXBhc3MiLAogICAgICAiZGlnZXN0IjogewogICAgICAgICJzaGEyNTYiOiAiY2Y1YmViOTEzODYyNDAyZjMyZWEyZWJiY2NjZTQzYjQwNWY5MTkwMjBiZDUyNDE2MmVmZTg0NjE3ZWE3MWI5NCIKICAgICAgfQogICAgfQogIF0sCiAgInByZWRpY2F0ZVR5cGUiOiAiaHR0cHM6Ly9tb2RlbF9zaWduaW5nL3NpZ25hdHVyZS92MS4wIiwKICAicHJlZGljYXRlIjogewogICAgInJlc291cmNlcyI6IFsKICAgICAgewogICAgICAgICJkaWdlc3QiOiAiMzQyZTczNmFhMTVjYWZkOTRjOGMyYzlhYzRlMzA2NmE1NWFmY2M0MDViNDZjMDMzZDBjZDIzZTdjNzEyZTBlOCIsCiAgICAgICAgImFsZ29yaXRobSI6ICJzaGEyNTYiLAogICAgICAgICJuYW1lIjogImJ1bmRsZS5qc29uIgogICAgICB9LAogICAgICB7CiAgICAgICAgImRpZ2VzdCI6ICI4M2VjYTdkODAwNjMxZGEyOTVkZDZmN2RkMmZmZTI3NTExNmZjZGQ0MzFjYzFjYmQ4NGRlMDFjZWI3ZWQ3NGMxIiwKICAgICAgICAiYWxnb3JpdGhtIjogInNoYTI1NiIsCiAgICAgICAgIm5hbWUiOiAibW9kZWwucHQiCiAgICAgIH0KICAgIF0sCiAgICAic2VyaWFsaXphdGlvbiI6IHsKICAgICAgIm1ldGhvZCI6ICJmaWxlcyIsCiAgICAgICJpZ25vcmVfcGF0aHMiOiBbCiAgICAgICAgIi5naXQiLAogICAgICAgICIuZ2l0aWdub3JlIiwKICAgICAgICAiLmdpdGF0dHJpYnV0ZXMiLAogICAgICAgICIuZ2l0aHViIiwKICAgICAgICAibW9kZWwuc2lnIgogICAgICBdLAogICAgICAiaGFzaF90eXBlIjogInNoYTI1NiIsCiAgICAgICJhbGxvd19zeW1saW5rcyI6IGZhbHNlCiAgICB9CiAgfQp9",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "sig": "MEQCIB7ljOYpYzFXt46MXO04idndUw8nJsvoGcLqRv9ARTFIAiACkZbEicqiTBiFb+hlzJ32PuT6opwWphDjjBXQf1x/Mw==",
        "keyid": ""
      }
    ]
  }
}
