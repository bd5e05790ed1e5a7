"""Month arithmetic on first-of-month dates, the way every monthly series here is keyed."""

import datetime


def add_months(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months after `month` (before, if negative)."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first` to `last`, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def parse_month(text: str) -> datetime.date:
    """ "2001-03" -> date(2001, 3, 1); ValueError on anything else."""
    return datetime.datetime.strptime(text, "%Y-%m").date()
