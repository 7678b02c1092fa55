from tests.reports.conftest import actions_world, force_world, marac_world  # noqa: F401  (the same data set)
