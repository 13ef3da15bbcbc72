"""tests/unit holds the tests that need no database. pytest-django already
refuses database access to a test that does not ask for it; this refuses the
asking too, so a test that needs the database goes to tests/integration/<app>/."""

import pytest

DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


@pytest.fixture(autouse=True)
def _no_database(request: pytest.FixtureRequest) -> None:
    asked = sorted(DATABASE_FIXTURES.intersection(request.fixturenames))
    if request.node.get_closest_marker("django_db"):
        asked.insert(0, "the django_db marker")
    if asked:
        pytest.fail(
            f"{request.node.nodeid} asks for the database ({', '.join(asked)}): tests/unit is for tests "
            "that need no database; move it to tests/integration/<app>/.",
            pytrace=False,
        )
