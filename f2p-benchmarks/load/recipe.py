"""The common Python recipe for this service, as the issue measured it, for refusals.sh's same-run comparison:
FastAPI, one uvicorn worker, the key checked by a dependency before the upload is used, then slowapi's
`10/minute` per key. slowapi is not packaged by Debian, so its limit is emulated here the way its in-memory
storage counts (a fixed window per key in a dict, checked before the handler runs); the rate-limited path then
costs what the recipe's does: one dict look-up and a 429 raised from a dependency.
Run: python3 -m uvicorn --app-dir f2p-benchmarks/load recipe:app --port PORT --workers 1 --log-level warning
Keys: RECIPE_KEY is valid (and over its 10/minute after ten requests); any other key is refused with 401.
"""
import time
from typing import Optional

from fastapi import Depends, FastAPI, File, Form, Header, HTTPException, UploadFile

app = FastAPI()
RECIPE_KEY = "f2p_live_recipe_only_key"
KEYS = {RECIPE_KEY}
LIMIT, WINDOW = 10, 60.0
_windows = {}  # key -> [window start, count], as slowapi's MemoryStorage keeps it


def api_key(x_api_key: Optional[str] = Header(default=None)) -> str:
    if x_api_key not in KEYS:
        raise HTTPException(status_code=401, detail="Missing or invalid API key.")
    now = time.monotonic()
    window = _windows.get(x_api_key)
    if window is None or now - window[0] >= WINDOW:
        window = _windows[x_api_key] = [now, 0]
    window[1] += 1
    if window[1] > LIMIT:
        retry = int(WINDOW - (now - window[0])) + 1
        raise HTTPException(status_code=429, detail="Rate limit exceeded: 10 per 1 minute",
                            headers={"Retry-After": str(retry)})
    return x_api_key


@app.post("/generate")
async def generate(key: str = Depends(api_key), image: UploadFile = File(...), prompt: str = Form("")):
    return {"ok": True}
