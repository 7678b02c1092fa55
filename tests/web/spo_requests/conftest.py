from tests.orders.conftest import spo  # noqa: F401  (the same world: a stalking case and its agencies)
