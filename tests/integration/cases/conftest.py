import pytest

from tests.integration.cases.helpers import build_org


@pytest.fixture
def org(db):
    return build_org()
