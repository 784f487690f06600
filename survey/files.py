"""A file sent to the browser: every download (CSV, XLSX, PDF, Word, QR codes) goes
through ``download`` so each names its file the same way."""

from __future__ import annotations

from flask import Response

TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "svg": "image/svg+xml",
    "json": "application/json",
}


def download(body: bytes, filename: str, inline: bool = False) -> Response:
    """``body`` as ``filename``; the type comes from the file's extension."""
    disposition = "inline" if inline else "attachment"
    return Response(
        body,
        mimetype=TYPES[filename.rsplit(".", 1)[-1]],
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )
