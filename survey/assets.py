"""Static files and compression: what keeps a respondent's page under 14 KB on the wire.

A child on pay-as-you-go data, or a parent on a weak signal after a hard meeting, should get
the whole page (HTML, CSS, the read-aloud script) in the first round trip: about 14 KB.
So responses are compressed (brotli, gzip as the fallback), and static files are served
under URLs that carry a hash of their content (``/static/heard.css?v=3f2a9c1b0d``) with a
year's ``immutable`` caching: the second page costs only its HTML, and a changed file gets
a new URL, so nobody is ever served yesterday's CSS.

Staff pages (``/staff/``) are not compressed: they carry personal data and the session's
CSRF token beside text echoed from the query string (filters), the mix a compression-size
attack (BREACH) reads secrets from. They are for laptops on the council's network, outside
the page budget.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask_compress import Compress

__all__ = ["setup_assets", "static_hash"]

YEAR = 31_536_000
COMPRESSION = {
    # brotli first: a third smaller than gzip on our small pages. Quality 6 costs under a
    # millisecond on a page; 11 saves a further ~7% for twenty times the work.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "deflate"],
    "COMPRESS_BR_LEVEL": 6,
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 256,
    "COMPRESS_REGISTER": False,  # called from our own hook, which skips staff pages
}
#: Small text files are read whole, so the non-streaming path (with gzip) compresses them.
TEXT_TYPES = {"text/css", "text/javascript", "application/javascript", "image/svg+xml"}
_hashes: dict[str, tuple[float, str]] = {}


def static_hash(static_folder: str, filename: str) -> str | None:
    """Ten hex digits of the file's SHA-256, recomputed when the file changes (in development)."""
    path = Path(static_folder) / filename
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    key = str(path)
    cached = _hashes.get(key)
    if cached is None or cached[0] != mtime:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        cached = _hashes[key] = (mtime, digest)
    return cached[1]


def setup_assets(app: Flask) -> None:
    for key, value in COMPRESSION.items():
        app.config.setdefault(key, value)
    compress = Compress(app)

    @app.url_defaults
    def hashed_static_url(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = static_hash(str(app.static_folder), values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_and_compress(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            current = static_hash(str(app.static_folder), filename)
            if current and request.args.get("v") == current:
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            else:
                # An old or missing hash: still served, but checked again next time.
                response.headers["Cache-Control"] = "no-cache"
            if response.mimetype in TEXT_TYPES:
                response.direct_passthrough = False
                response.get_data()  # read the small file whole (see TEXT_TYPES)
        if request.path.startswith("/staff/") or request.path == "/staff":
            return response
        if response.status_code in (301, 302, 303, 307, 308):
            return response  # a redirect's few words: Flask-Compress would only add a Vary
        if 400 <= response.status_code < 500 and response.mimetype == "text/html":
            # Flask-Compress leaves anything but 2xx alone, but a page with errors to fix
            # (400), a closed survey (410) or a bad link (404) is a whole page a
            # respondent reads, under the same budget.
            status = response.status
            response.status_code = 200
            response = compress.after_request(response)
            response.status = status
            return response
        return compress.after_request(response)
