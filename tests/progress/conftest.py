from tests.practice.conftest import linked

__all__ = ["linked"]
