"""The incident fixtures (UNAMSIL in a simplified Sierra Leone, the taxonomy, report data)."""

from tests.incidents.conftest import report_data, sl  # noqa: F401 (fixtures)
