"""The incidents' and DDR's fixtures (a Sierra Leone mission with incident types, a district
and factions), reused: this area tests what is done to their records."""

from tests.ddr.conftest import district, factions, registration  # noqa: F401
from tests.incidents.conftest import file, report_data, sl  # noqa: F401
