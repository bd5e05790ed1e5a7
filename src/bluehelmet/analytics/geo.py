"""Geography helpers: PRIO-GRID cells and point-in-area lookups."""

import math

PRIOGRID_CELL_DEGREES = 0.5
PRIOGRID_COLUMNS = 720  # 360 degrees / 0.5


def priogrid_gid(latitude: float, longitude: float) -> int:
    """PRIO-GRID v2 cell id of a point.

    Cells are 0.5 x 0.5 degrees, numbered row by row from the south-west corner
    (-90, -180): gid = row * 720 + col + 1. Points on the north or east edge of the
    world fall in the last row or column.
    """
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise ValueError(f"coordinates out of range: ({latitude}, {longitude})")
    row = min(math.floor((latitude + 90) / PRIOGRID_CELL_DEGREES), 359)
    col = min(math.floor((longitude + 180) / PRIOGRID_CELL_DEGREES), PRIOGRID_COLUMNS - 1)
    return row * PRIOGRID_COLUMNS + col + 1


def priogrid_centroid(gid: int) -> tuple[float, float]:
    """(latitude, longitude) of the centre of a PRIO-GRID cell."""
    row, col = divmod(gid - 1, PRIOGRID_COLUMNS)
    return (row * PRIOGRID_CELL_DEGREES - 90 + 0.25, col * PRIOGRID_CELL_DEGREES - 180 + 0.25)
