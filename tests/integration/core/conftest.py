from tests.integration.cases.conftest import org  # noqa: F401  (fixture)
