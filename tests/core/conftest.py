import pytest

from diagnosis.core.bundle import DEFAULT_ROOT, load_bundle


@pytest.fixture(scope="session")
def bundle():
    """The project's real questionnaires, models and catalogues."""
    return load_bundle(DEFAULT_ROOT)
