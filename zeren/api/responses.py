"""File responses: streamed, named, never sniffed."""

from __future__ import annotations

from io import BytesIO
from typing import IO

from django.http import FileResponse


def file_response(fh: IO[bytes], filename: str, content_type: str) -> FileResponse:
    response = FileResponse(fh, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def bytes_response(data: bytes, filename: str, content_type: str) -> FileResponse:
    return file_response(BytesIO(data), filename, content_type)
