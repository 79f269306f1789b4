"""Month index <-> calendar month. The window is the plan's: status month 2016-07 to 2020-12."""
from __future__ import annotations

START_YEAR, START_MONTH = 2016, 7
END_YEAR, END_MONTH = 2020, 12
N_MONTHS = (END_YEAR - START_YEAR) * 12 + (END_MONTH - START_MONTH) + 1  # 54 months
PLAN_YEARS = (2017, 2018, 2019, 2020)
REPORT_YEARS = (2016, *PLAN_YEARS)


def year_month(t: int) -> tuple[int, int]:
    """Calendar (year, month) of month index ``t`` (0 = 2016-07)."""
    m = START_MONTH - 1 + t
    return START_YEAR + m // 12, m % 12 + 1


def label(t: int) -> str:
    y, m = year_month(t)
    return f"{y:04d}-{m:02d}"


def index(year: int, month: int) -> int:
    """Month index of a calendar month."""
    return (year - START_YEAR) * 12 + (month - START_MONTH)


def year_end_index(year: int) -> int:
    """Index of December of ``year`` (the month stock indicators are read at)."""
    return index(year, 12)


MONTH_LABELS = [label(t) for t in range(N_MONTHS)]
YEAR_OF = [year_month(t)[0] for t in range(N_MONTHS)]
MONTH_OF = [year_month(t)[1] for t in range(N_MONTHS)]
