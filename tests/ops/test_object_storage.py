"""Evidence in an S3-compatible object store (moto in server mode on loopback)."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.assessments.helpers import PDF_BYTES, fill_completely, pdf_upload
from tests.servers import S3_KEYS, S3_REGION, free_port, s3_env, s3_storages
from zeren.assessments import submissions
from zeren.assessments.models import EvidenceItem, StoredFile
from zeren.intake.imports import create_batch
from zeren.intake.models import ImportItem

pytestmark = pytest.mark.django_db


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _s3(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    )


def test_it_uploads_in_parts_and_downloads_the_same_bytes_after_the_access_check(
    assessment, alice, charlie, s3_bucket, moto_endpoint
) -> None:  # type: ignore[no-untyped-def]
    big = PDF_BYTES + os.urandom(9 * 1024 * 1024)  # past boto3's 8 MB multipart threshold
    r = _login(alice).post(
        f"/assessments/{assessment.pk}/indicators/4/upload/",
        {"files": [SimpleUploadedFile("年度报告.pdf", big)]},
    )
    assert r.status_code == 200
    f = StoredFile.objects.get()
    assert f.sha256 == hashlib.sha256(big).hexdigest() and f.size == len(big)
    head = _s3(moto_endpoint).head_object(Bucket=s3_bucket, Key=f.storage_key)
    assert head["ContentLength"] == len(big)
    assert "-" in head["ETag"]  # a multipart upload's ETag names its part count
    assert not (os.environ.get("ZEREN_DATA_DIR") and os.path.exists(f.storage_key))

    r = _login(alice).get(f"/assessments/{assessment.pk}/files/{f.pk}/")
    assert r.status_code == 200 and r["Content-Length"] == str(len(big))
    assert b"".join(r.streaming_content) == big
    assert _login(charlie).get(f"/assessments/{assessment.pk}/files/{f.pk}/").status_code == 404


def test_a_store_that_is_down_refuses_the_upload_and_a_retry_succeeds(
    assessment, alice, settings, moto_endpoint, s3_bucket
) -> None:  # type: ignore[no-untyped-def]
    working = settings.STORAGES
    dead = s3_env(f"http://127.0.0.1:{free_port()}", s3_bucket)
    settings.STORAGES = s3_storages(dead, working)
    url = f"/assessments/{assessment.pk}/indicators/4/upload/"
    r = _login(alice).post(url, {"files": [pdf_upload("制度.pdf")]})
    assert r.status_code == 400
    assert "文件存储服务暂时不可用" in r.content.decode() and "请稍后重试" in r.content.decode()
    assert not StoredFile.objects.exists() and not EvidenceItem.objects.exists()

    settings.STORAGES = working
    r = _login(alice).post(url, {"files": [pdf_upload("制度.pdf")]})
    assert r.status_code == 200
    f = EvidenceItem.objects.get().files.get()
    assert f.original_name == "制度.pdf"

    # A download while the store is down: a message and a retry, not an error page.
    settings.STORAGES = s3_storages(dead, working)
    r = _login(alice).get(f"/assessments/{assessment.pk}/files/{f.pk}/")
    assert r.status_code == 503 and r["Retry-After"] == "30"
    assert "文件存储服务暂时不可用" in r.content.decode()


def test_the_evidence_bundle_reads_every_file_from_the_store(
    assessment, alice, s3_bucket, moto_endpoint, immediate_tasks
) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    keys = {
        o["Key"] for o in _s3(moto_endpoint).list_objects_v2(Bucket=s3_bucket).get("Contents", [])
    }
    assert set(StoredFile.objects.values_list("storage_key", flat=True)) <= keys
    r = _login(alice).get(f"/documents/submissions/{submission.pk}/bundle.zip")
    with zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content))) as zf:
        evidence = [n for n in zf.namelist() if n.startswith("指标")]
        assert len(evidence) == 28 and zf.read(evidence[0]) == PDF_BYTES


def test_a_word_import_is_stored_and_read_back_through_the_store(
    campaign, olga, s3_bucket, moto_endpoint, immediate_tasks, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from zeren.documents.render import render_docx
    from zeren.frameworks.loader import spec_from_db

    data = render_docx(None, spec_from_db(campaign.framework))
    with django_capture_on_commit_callbacks(execute=True):
        batch = create_batch(
            campaign=campaign, uploads=[SimpleUploadedFile("空白.docx", data)], by=olga
        )
    item = ImportItem.objects.get(batch=batch)
    body = _s3(moto_endpoint).get_object(Bucket=s3_bucket, Key=item.storage_key)["Body"].read()
    assert body == data
    item.refresh_from_db()
    assert item.status != ImportItem.Status.PENDING  # the job read it from the store


def _zeren(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zeren.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_missing_storage_setting_stops_start_up_with_a_clear_message(moto_endpoint) -> None:  # type: ignore[no-untyped-def]
    env = s3_env(moto_endpoint, "zeren-evidence")
    env["AWS_SECRET_ACCESS_KEY"] = ""
    done = _zeren(["worker", "--batch"], env)
    assert done.returncode == 2
    assert "缺少 AWS_SECRET_ACCESS_KEY" in done.stderr and "is missing" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_bucket_stops_the_worker_with_a_clear_message(moto_endpoint) -> None:  # type: ignore[no-untyped-def]
    done = _zeren(["worker", "--batch"], s3_env(moto_endpoint, "no-such-bucket"))
    assert done.returncode == 2
    assert "无法访问对象存储桶 'no-such-bucket'" in done.stderr
    assert "cannot reach bucket" in done.stderr and "Traceback" not in done.stderr


def test_an_import_while_the_store_is_down_is_refused_and_nothing_is_kept(
    campaign, olga, settings, s3_bucket
) -> None:  # type: ignore[no-untyped-def]
    from zeren.documents.render import render_docx
    from zeren.frameworks.loader import spec_from_db
    from zeren.intake.imports import ImportRefused
    from zeren.intake.models import ImportBatch

    settings.STORAGES = s3_storages(
        s3_env(f"http://127.0.0.1:{free_port()}", s3_bucket), settings.STORAGES
    )
    data = render_docx(None, spec_from_db(campaign.framework))
    with pytest.raises(ImportRefused) as exc:
        create_batch(campaign=campaign, uploads=[SimpleUploadedFile("空白.docx", data)], by=olga)
    assert "文件存储服务暂时不可用" in exc.value.message
    assert not ImportBatch.objects.exists() and not ImportItem.objects.exists()


def test_a_wrong_endpoint_or_redis_url_stops_start_up_with_a_clear_message(moto_endpoint) -> None:  # type: ignore[no-untyped-def]
    env = s3_env("s3.example.cn", "zeren-evidence")
    done = _zeren(["jobs"], env)
    assert (
        done.returncode == 2
        and "ZEREN_S3_ENDPOINT_URL 应以 http:// 或 https:// 开头" in done.stderr
    )
    done = _zeren(["jobs"], {"ZEREN_REDIS_URL": "localhost:6379"})
    assert done.returncode == 2 and "ZEREN_REDIS_URL must start with redis://" in done.stderr
    assert "Traceback" not in done.stderr
