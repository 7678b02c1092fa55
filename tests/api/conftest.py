from tests.orders.conftest import spo  # noqa: F401  (a stalking case with police, advocacy and housing on it)
