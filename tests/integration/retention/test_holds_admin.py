"""Administrators place and release holds in the admin; the disposal log is
read-only there."""

import pytest

from retention.models import CaseHold, DisposalRun
from tests.factories import register_case
from tests.integration.cases.helpers import build_org, signed_in

pytestmark = pytest.mark.django_db


def test_an_administrator_places_and_releases_a_hold_in_the_admin():
    org = build_org()
    org.admin.is_superuser = True
    org.admin.save()
    case = register_case(category=org.cat_a)
    client = signed_in(org.admin)
    response = client.post("/admin/retention/casehold/add/", {"case": case.pk, "reason": "Överklagande"})
    assert response.status_code == 302
    hold = CaseHold.objects.get()
    assert (hold.case, hold.reason, hold.placed_by, hold.released_at) == (case, "Överklagande", org.admin, None)

    client.post("/admin/retention/casehold/", {"action": "release", "_selected_action": [hold.pk]})
    hold.refresh_from_db()
    assert hold.released_by == org.admin and hold.released_at is not None
    assert client.get("/admin/retention/disposalrun/add/").status_code == 403
    assert client.post(f"/admin/retention/casehold/{hold.pk}/delete/").status_code == 403
    assert not DisposalRun.objects.exists()
