"""Disposal removes every trace of the sender from the database and the file
storage, leaves the statistics exactly as they were, and leaves held, not yet
due and open cases alone."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.models import CitizenIdentity, User
from cases.models import Answer, Attachment, Case, CaseEvent, Contact
from cases.notices import subject_key
from notifications.models import OutboundMessage
from retention import services
from retention.models import DisposalRun, DisposedCase
from stats import maintenance
from stats import selectors as stats_selectors
from stats.models import CaseStat
from stats.periods import Period
from stats.selectors import DIMENSIONS, Filters
from tests.integration.cases.helpers import signed_in
from tests.integration.retention import world

pytestmark = pytest.mark.django_db(transaction=True)


def database_text() -> str:
    """Everything in the database as text: pg_dump of the test database on
    PostgreSQL, every row of every table on SQLite."""
    connection.close()  # a fresh connection sees everything committed
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env = {"PGPASSWORD": db.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
        result = subprocess.run(
            [
                "pg_dump",
                "--data-only",
                "-h",
                db.get("HOST") or "127.0.0.1",
                "-p",
                str(db.get("PORT") or 5432),
                "-U",
                db.get("USER") or "postgres",
                db["NAME"],
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        # Drop the random restrict-token lines newer pg_dump versions write.
        return "\n".join(
            line
            for line in result.stdout.decode("utf-8").splitlines()
            if not line.startswith(("\\restrict", "\\unrestrict"))
        )
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            parts.extend(repr(row) for row in cursor.fetchall())
    # repr() escapes nothing we search for except non-ASCII in bytes; keep both forms.
    return "\n".join(parts)


def storage_bytes() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file()) if root.exists() else b""


def stats_snapshot(client) -> dict:
    today = timezone.localdate()
    period = Period.range(date(today.year - 4, 1, 1), today)
    snapshot = {
        "overview": stats_selectors.overview(period=period, filters=Filters(), today=today),
        "trend": stats_selectors.trend(end_month=today.replace(day=1), filters=Filters(), today=today),
    }
    for slug, dimension in DIMENSIONS.items():
        snapshot[slug] = stats_selectors.breakdown(dimension=dimension, period=period, filters=Filters(), today=today)
        response = client.get(
            f"/statistik/fordelning/{slug}/",
            {"period": "range", "received_from": period.start.isoformat(), "received_to": period.end.isoformat()},
        )
        assert response.status_code == 200
        snapshot[f"page-{slug}"] = re.findall(r"<table.*?</table>", response.content.decode(), re.S)
    page = client.get("/statistik/", {"period": "year", "year": today.year - 2})
    snapshot["page-overview"] = re.findall(r"<table.*?</table>", page.content.decode(), re.S)
    # The statistics' own bookkeeping (which rows were disposed of) aside.
    snapshot["rows"] = {row.case_id: model_to_dict(row, exclude=["disposed"]) for row in CaseStat.objects.all()}
    return snapshot


def test_disposal_leaves_no_personal_data_and_the_statistics_unchanged():
    w = world.build()
    maintenance.calendar_ensure()  # the worker's job: the durations need the calendar
    client = signed_in(w.org.admin)
    before_text = database_text()
    before_files = storage_bytes()
    # The test strings really are there before, so the search below can fail.
    for s in world.DISPOSED_STRINGS + world.KEPT_STRINGS:
        assert s.lower() in before_text.lower() or s.encode() in before_files, s
    assert b"FILINNEHALL-QZX" in before_files
    stats_before = stats_snapshot(client)
    held_before = model_to_dict(Case.objects.get(pk=w.held.pk))
    recent_before = model_to_dict(Case.objects.get(pk=w.recent.pk))

    runs = services.disposal_run()

    by_category = {run.category_id: run for run in runs}
    assert by_category[w.org.cat_b.pk].case_numbers == [w.due.number]
    assert by_category[w.org.cat_b.pk].retention_years == 2
    assert by_category[w.org.cat_a.pk].case_numbers == [w.due_a.number]
    assert by_category[w.org.cat_a.pk].retention_years == 1
    assert DisposalRun.objects.count() == 2 and sum(r.count for r in runs) == 2

    after_text = database_text().lower()
    after_files = storage_bytes()
    for s in world.DISPOSED_STRINGS:
        assert s.lower() not in after_text, s
        assert s.encode() not in after_files, s
    for s in world.KEPT_STRINGS:
        assert s.lower() in after_text, s

    # The anonymous record: the case row with its dimensions and verdicts.
    due = Case.objects.get(pk=w.due.pk)
    assert due.description == "Gallrat" and due.place == "" and due.latitude is None and due.citizen_id is None
    assert (due.kind, due.category_id, due.unit_id, due.channel, due.status) == (
        w.due.kind,
        w.org.cat_b.pk,
        w.org.c.pk,
        "web",
        Case.Status.CLOSED,
    )
    assert due.answered_in_time is not None and due.closed_in_time is not None
    assert not Contact.objects.filter(case=due).exists()
    assert not Attachment.objects.filter(case=due).exists()
    assert set(Answer.objects.filter(case=due).values_list("text", flat=True)) == {"Gallrat"}
    assert CaseEvent.objects.filter(case=due, kind=CaseEvent.Kind.DISPOSED).count() == 1
    assert set(OutboundMessage.objects.filter(subject_key=subject_key(due)).values_list("recipient", flat=True)) <= {""}
    # The citizen had no other case: their account and identity are gone.
    assert not User.objects.filter(pk=w.citizen.pk).exists()
    assert not CitizenIdentity.objects.filter(user_id=w.citizen.pk).exists()

    # Held and not yet due: untouched, contact details and all.
    assert model_to_dict(Case.objects.get(pk=w.held.pk)) == held_before
    assert model_to_dict(Case.objects.get(pk=w.recent.pk)) == recent_before
    assert Contact.objects.filter(case=w.held).exists() and Contact.objects.filter(case=w.still_open).exists()

    stats_after = stats_snapshot(client)
    for key, value in stats_before["rows"].items():
        assert stats_after["rows"][key] == value
    assert stats_after == stats_before

    # A second run finds nothing more and says so.
    again = services.disposal_run()
    assert [(r.category_id, r.count) for r in again] == [(None, 0)]


def test_releasing_the_hold_lets_the_next_run_dispose_of_the_case():
    w = world.build()
    services.disposal_run()
    assert not DisposedCase.objects.filter(case=w.held).exists()
    services.hold_release(hold=w.hold, by=w.org.admin)
    runs = services.disposal_run()
    assert [r.case_numbers for r in runs] == [[w.held.number]]
    assert not Contact.objects.filter(case=w.held).exists()


def test_a_citizen_with_a_case_left_keeps_their_identity():
    w = world.build()
    Case.objects.filter(pk=w.recent.pk).update(citizen=w.citizen)
    services.disposal_run()
    identity = CitizenIdentity.objects.get(user=w.citizen)
    assert identity.number_masked == "19811218-****"
    assert list(Case.objects.filter(citizen=w.citizen)) == [w.recent]


def test_the_dry_run_lists_what_is_due_and_changes_nothing(capsys):
    w = world.build()
    before = database_text()
    files = storage_bytes()
    call_command("retention_dispose", "--dry-run")
    out = capsys.readouterr().out
    assert w.due.number in out and w.due_a.number in out
    assert w.held.number not in out and w.recent.number not in out and w.still_open.number not in out
    assert "2 cases would be disposed of" in out
    assert database_text() == before
    assert storage_bytes() == files
    assert not DisposalRun.objects.exists()


def test_the_command_disposes_in_small_batches(capsys):
    w = world.build()
    call_command("retention_dispose", "--batch-size", "1")
    out = capsys.readouterr().out
    assert "2 cases disposed of." in out
    assert set(DisposedCase.objects.values_list("case_id", flat=True)) == {w.due.pk, w.due_a.pk}
    assert set(DisposalRun.objects.values_list("trigger", flat=True)) == {DisposalRun.Trigger.COMMAND}
