from tests.strategy.conftest import plan  # noqa: F401 - the same small strategy
