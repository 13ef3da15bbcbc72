"""The access log: exactly one row per access, append-only, and a hash
chain that the verification command checks."""

import threading

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse

from records import services as records
from records.models import AccessLogEntry, AppendOnlyError
from tests.integration.cases.helpers import signed_in
from tests.integration.records.conftest import full_case, mark_case

pytestmark = pytest.mark.django_db


def kinds():
    return list(AccessLogEntry.objects.order_by("seq").values_list("user_id", "case_id", "kind", "attachment_id"))


def test_every_access_is_exactly_one_row(org):
    case = full_case(org)
    attachment = case.attachments.get()
    client = signed_in(org.officer)
    client.get(reverse("cases:detail", args=[case.number]))
    assert kinds() == [(org.officer.pk, case.pk, "content", None)]
    client.get(reverse("cases:attachment", args=[case.number, attachment.public_id]))
    assert kinds()[1:] == [(org.officer.pk, case.pk, "attachment", attachment.pk)]
    client.post(reverse("records:release", args=[case.number]), {"release-recipient": ""})
    assert kinds()[2:] == [(org.officer.pk, case.pk, "copy", None)]
    # A failed action shows the page again: that is an access too, one row.
    client.post(reverse("cases:note", args=[case.number]), {"note-text": ""})
    assert len(kinds()) == 4
    # Pages that show no content write nothing.
    client.get(reverse("cases:list"))
    client.get(reverse("records:release", args=[case.number]))
    assert len(kinds()) == 4


def test_unit_head_reads_the_log_of_a_case_on_its_page(org):
    case = full_case(org)
    mark_case(case, org.officer)
    signed_in(org.colleague).get(reverse("cases:detail", args=[case.number]))
    page = signed_in(org.head).get(reverse("records:access_log", args=[case.number])).content.decode()
    assert org.colleague.display_name in page and "Öppnade ärendet (text och kontaktuppgifter)" in page
    assert signed_in(org.colleague).get(reverse("records:access_log", args=[case.number])).status_code == 403


def test_rows_cannot_be_changed_or_deleted_through_the_application(org):
    case = full_case(org)
    entry = records.access_log_append(user=org.officer, case=case, kind=AccessLogEntry.Kind.CONTENT)
    entry.kind = AccessLogEntry.Kind.COPY
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(kind="copy")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    model_admin = admin.site._registry[AccessLogEntry]
    request = RequestFactory().get("/")
    request.user = org.admin
    org.admin.is_superuser = True
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_add_permission(request)


def _fill(org, n=5):
    case = full_case(org)
    for _ in range(n):
        records.access_log_append(user=org.officer, case=case, kind=AccessLogEntry.Kind.CONTENT)
    return list(AccessLogEntry.objects.order_by("seq"))


def test_verification_passes_on_a_whole_chain(org, capsys):
    _fill(org)
    call_command("records_verify_log")
    assert "5 rows" in capsys.readouterr().out


def test_an_edited_row_is_found(org):
    rows = _fill(org)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_accesslogentry SET user_id = %s WHERE id = %s", [org.head.pk, rows[2].pk])
    with pytest.raises(CommandError, match=f"row 3 \\(id {rows[2].pk}\\) was changed"):
        call_command("records_verify_log")


def test_an_edited_row_with_a_recomputed_hash_is_found_at_the_next_row(org):
    rows = _fill(org)
    forged = rows[1]
    forged.user_id = org.head.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_accesslogentry SET user_id = %s, hash = %s WHERE id = %s",
            [org.head.pk, forged.compute_hash(), forged.pk],
        )
    with pytest.raises(CommandError, match="row 3 .* does not follow"):
        call_command("records_verify_log")


def test_a_deleted_row_is_found(org):
    rows = _fill(org)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_accesslogentry WHERE id = %s", [rows[1].pk])
    with pytest.raises(CommandError, match="row 2 is missing"):
        call_command("records_verify_log")


def test_a_deleted_last_row_is_found(org):
    rows = _fill(org)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_accesslogentry WHERE id = %s", [rows[-1].pk])
    with pytest.raises(CommandError, match="row 5 is missing"):
        call_command("records_verify_log")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_appends_keep_the_chain_linear(org):
    case = full_case(org)
    errors = []

    def work():
        try:
            for _ in range(10):
                records.access_log_append(user=org.officer, case=case, kind=AccessLogEntry.Kind.CONTENT)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(AccessLogEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 81))
    checked, problem = records.access_log_verify()
    assert (checked, problem) == (80, None)
