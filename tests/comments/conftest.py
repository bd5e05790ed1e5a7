"""The incident area's fixtures (a mapped Sierra Leone, a report helper), shared here."""

from tests.incidents.conftest import file, report_data, sl  # noqa: F401 (fixtures)
