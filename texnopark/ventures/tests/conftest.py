import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads made by the tests land in a folder of their own, removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
