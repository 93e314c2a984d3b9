from tests.routines.conftest import builtin, link, login

__all__ = ["builtin", "link", "login"]
