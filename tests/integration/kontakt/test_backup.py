"""Backups: scripts/backup.sh dumps the database and packs the attachments,
scripts/restore.sh puts both into a new, empty database and folder, and the
copy holds every case, attachment and access-log row, with the access log's
hash chain whole (README, "Backups and restore")."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from cases.models import Attachment, Case
from cases.services import AttachmentData, ContactData
from records import services as records
from records.models import AccessLogEntry
from tests.factories import register_case
from tests.integration.cases.helpers import build_org, signed_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]


def database_url(name: str) -> str:
    """A libpq URL for the test server's database `name`."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgresql://{credentials}@{host}:{port}/{quote(name, safe='')}"


def server() -> psycopg.Connection:
    """A connection to the server's `postgres` database, for CREATE and DROP DATABASE."""
    return psycopg.connect(database_url("postgres"), autocommit=True)


@pytest.fixture
def empty_database():
    name = f"kontakt_restore_{uuid.uuid4().hex[:12]}"
    with server() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with server() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args,
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def upload(name: str, content: bytes) -> AttachmentData:
    return AttachmentData(file=SimpleUploadedFile(name, content), content_type="application/pdf")


def test_a_backup_restored_into_an_empty_database_holds_everything(settings, tmp_path, empty_database):
    org = build_org()
    contact = ContactData(name="Anna Andersson", email="anna@example.se")
    cases = [
        register_case(category=org.cat_a, contact=contact, attachments=[upload("foto.pdf", os.urandom(5000))]),
        register_case(
            category=org.cat_a,
            attachments=[upload("karta.pdf", os.urandom(70_000)), upload("brev.pdf", b"%PDF-1.4\n%%EOF\n")],
        ),
        register_case(category=org.cat_b),
    ]
    # Access-log rows, through the case page and downloads as staff cause them,
    # and one appended directly.
    officer = signed_in(org.officer)
    for case in cases[:2]:
        assert officer.get(reverse("cases:detail", args=[case.number])).status_code == 200
        for attachment in case.attachments.all():
            url = reverse("cases:attachment", args=[case.number, attachment.public_id])
            assert officer.get(url).status_code == 200
    records.access_log_append(user=org.head, case=cases[2], kind=AccessLogEntry.Kind.CONTENT)

    numbers = sorted(Case.objects.values_list("number", flat=True))
    files = {
        str(a.public_id): (a.file.name, a.sha256, Path(settings.MEDIA_ROOT, a.file.name).read_bytes())
        for a in Attachment.objects.all()
    }
    log = list(AccessLogEntry.objects.order_by("seq").values_list("seq", "case_number", "kind", "hash"))
    assert len(numbers) == 3 and len(files) == 3 and len(log) == 6

    backups = tmp_path / "backups"
    out = run(
        ["bash", "scripts/backup.sh", str(backups)],
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    dump, tarball, sums = (Path(line) for line in out.stdout.split())
    assert dump.suffix == ".dump" and tarball.name.endswith("-media.tar.gz") and sums.suffix == ".sha256"
    assert dump.stat().st_mode & 0o077 == 0, "the backup holds personal data: its owner alone reads it"

    restored_url = database_url(empty_database)
    restored_media = tmp_path / "restored-media"
    out = run(["bash", "scripts/restore.sh", str(dump), str(tarball), restored_url, str(restored_media)])
    assert "The access log is whole: 6 rows." in out.stdout

    with psycopg.connect(restored_url) as restored:
        assert [n for (n,) in restored.execute("SELECT number FROM cases_case ORDER BY number")] == numbers
        rows = restored.execute("SELECT public_id::text, file, sha256 FROM cases_attachment").fetchall()
        assert {public_id: (name, sha256) for public_id, name, sha256 in rows} == {
            public_id: (name, sha256) for public_id, (name, sha256, _) in files.items()
        }
        for public_id, (name, _, content) in files.items():
            assert (restored_media / name).read_bytes() == content, public_id
        restored_log = restored.execute(
            "SELECT seq, case_number, kind, hash FROM records_accesslogentry ORDER BY seq"
        ).fetchall()
        assert restored_log == log

    # The check as an operator runs it on the restored copy.
    out = run(
        [sys.executable, "manage.py", "records_verify_log"],
        DATABASE_URL=restored_url,
        MEDIA_ROOT=str(restored_media),
    )
    assert "The access log is whole: 6 rows." in out.stdout


def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path):
    build_org()
    backups = tmp_path / "backups"
    out = run(
        ["bash", "scripts/backup.sh", str(backups)],
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    dump, tarball, _ = out.stdout.split()
    # The running database itself: restoring over it must never start.
    result = subprocess.run(
        [
            "bash",
            "scripts/restore.sh",
            dump,
            tarball,
            database_url(connection.settings_dict["NAME"]),
            str(tmp_path / "m"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "the database is not empty" in result.stderr
    assert not (tmp_path / "m").exists()
