"""The common Python recipe for this service, as the issue measured it, for refusals.sh's same-run comparison:
FastAPI, one uvicorn worker, the key checked by a dependency before the upload is used. slowapi (the recipe's
`10/minute`) is not packaged by Debian, so only the bad-key path is reproduced here; the rate-limited figure
stays the issue's (892 req/s, beside 1,011 for bad keys, on its machine).
Run: python3 -m uvicorn --app-dir f2p-benchmarks/load recipe:app --port PORT --workers 1 --log-level warning
"""
from typing import Optional

from fastapi import Depends, FastAPI, File, Form, Header, HTTPException, UploadFile

app = FastAPI()
KEYS = {"f2p_live_recipe_only_key"}


def api_key(x_api_key: Optional[str] = Header(default=None)) -> str:
    if x_api_key not in KEYS:
        raise HTTPException(status_code=401, detail="Missing or invalid API key.")
    return x_api_key


@app.post("/generate")
async def generate(key: str = Depends(api_key), image: UploadFile = File(...), prompt: str = Form("")):
    return {"ok": True}
