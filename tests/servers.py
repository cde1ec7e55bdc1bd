"""Real servers on loopback for the operations tests: moto's S3 server, and helpers to wait."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

S3_REGION = "us-east-1"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's S3 in server mode, in its own process on a free loopback port; yields its URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "ZEREN_S3_BUCKET": bucket,
        "ZEREN_S3_ENDPOINT_URL": endpoint,
        "ZEREN_S3_REGION": S3_REGION,
        **S3_KEYS,
    }


def new_bucket(endpoint: str) -> str:
    import boto3

    name = f"zeren-{secrets.token_hex(6)}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=name)
    return name


def s3_storages(env: dict[str, str], base: dict) -> dict:  # type: ignore[type-arg]
    """settings.STORAGES with the default store built from `env` the way settings.py builds it."""
    from zeren import settings as zs

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        default = zs._s3_storage()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return {**base, "default": default}
