from tests.audio.conftest import call

__all__ = ["call"]
