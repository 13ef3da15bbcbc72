"""The SCIM endpoint checked against RFC 7643/7644 by scim2-tester: the
discovery endpoints, and creating, reading, replacing, patching and
deleting Users and Groups with payloads it builds from the published
schemas."""

import pytest
from scim2_tester import Status, check_server

pytestmark = pytest.mark.django_db


def test_scim2_tester_finds_no_error(scim):
    results = check_server(scim)
    failed = [(r.title, r.resource_type, r.reason) for r in results if r.status == Status.ERROR]
    assert results
    assert failed == []
