"""Stored files, whatever holds them: a local directory or an S3-compatible object store.

Everything that reads or writes a stored file goes through Django's storage API and these few
helpers; nothing assumes a file has a path on this machine's disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, default_storage
from django.http.response import HttpResponseBase

CHUNK = 1024 * 1024


class StorageUnavailable(Exception):
    """The store did not answer or refused: nothing was saved."""


def is_s3(storage: Storage | None = None) -> bool:
    storage = storage if storage is not None else default_storage
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # django-storages is only needed with S3
        return False
    # isinstance sees through default_storage's lazy wrapper.
    return isinstance(storage, S3Storage)


def storage_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a store that is down or refuses raises."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    except ImportError:  # boto3 is only needed with S3
        pass
    try:
        from boto3.exceptions import Boto3Error

        errors.append(Boto3Error)
    except ImportError:
        pass
    return tuple(errors)


class _S3Stream:
    """A read-only binary stream of one S3 object, fetched in pieces as it is read."""

    def __init__(self, body: Any, size: int):
        self._body = body
        self.size = size
        self.closed = False

    def read(self, n: int = -1) -> bytes:
        data: bytes = self._body.read(None if n is None or n < 0 else n)
        return data

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body.iter_chunks(CHUNK))

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        if not self.closed:
            self._body.close()
            self.closed = True

    def __enter__(self) -> _S3Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_stream(key: str, storage: Storage | None = None) -> IO[bytes]:
    """A stored file to read once from start to end, never held whole in memory or on disk."""
    storage = storage if storage is not None else default_storage
    if is_s3(storage):
        obj = storage.bucket.Object(storage._normalize_name(key))  # type: ignore[attr-defined]
        response = obj.get()
        return _S3Stream(response["Body"], int(response["ContentLength"]))  # type: ignore[return-value]
    return storage.open(key, "rb")


def sha256_of(key: str, storage: Storage | None = None) -> str:
    h = hashlib.sha256()
    with open_stream(key, storage) as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def iter_keys(storage: Storage | None = None, prefix: str = "") -> Iterator[str]:
    """Every stored key, in order."""
    storage = storage if storage is not None else default_storage
    if is_s3(storage):
        bucket = storage.bucket  # type: ignore[attr-defined]
        for obj in bucket.objects.filter(Prefix=prefix):
            yield obj.key
        return
    yield from _walk(storage, prefix.rstrip("/"))


def _walk(storage: Storage, path: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for d in sorted(dirs):
        yield from _walk(storage, f"{path}/{d}" if path else d)


def check_storage(storage: Storage | None = None) -> None:
    """Raises ImproperlyConfigured, in both languages, when the configured store cannot be used."""
    storage = storage if storage is not None else default_storage
    if not is_s3(storage):
        return
    name = storage.bucket_name  # type: ignore[attr-defined]
    try:
        storage.connection.meta.client.head_bucket(Bucket=name)  # type: ignore[attr-defined]
    except storage_errors() as exc:
        raise ImproperlyConfigured(
            f"无法访问对象存储桶 {name!r}（请检查 ZEREN_S3_BUCKET、ZEREN_S3_ENDPOINT_URL、"
            f"ZEREN_S3_REGION 与访问密钥）：{exc} / cannot reach bucket {name!r} (check "
            f"ZEREN_S3_BUCKET, ZEREN_S3_ENDPOINT_URL, ZEREN_S3_REGION and the keys): {exc}"
        ) from None


def file_response(
    key: str, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponseBase:
    """A streamed download of a stored file; call it only after the access check."""
    import logging

    from django.http import FileResponse, HttpResponse

    response: HttpResponseBase
    from django.utils.translation import gettext as _

    try:
        stream = open_stream(key)
    except storage_errors() as exc:
        logging.getLogger(__name__).warning("storage unavailable reading %s: %s", key, exc)
        return HttpResponse(
            _("文件存储服务暂时不可用，请稍后重试"),
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": "30"},
        )
    response = FileResponse(
        stream, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response.block_size = CHUNK
    size = getattr(stream, "size", None)
    if size is not None and not response.has_header("Content-Length"):
        response["Content-Length"] = str(size)
    return response
