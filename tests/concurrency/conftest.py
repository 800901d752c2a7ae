from tests.security.conftest import s  # noqa: F401 - one of everything in two partnerships
