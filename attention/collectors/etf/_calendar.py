"""The New York Stock Exchange's trading days, from its standing holiday rules.

Good enough to plan requests: a day the rules miss (a one-off closure such
as a national day of mourning) costs one request, whose answer holds no
holdings and is counted as skipped.
"""

from __future__ import annotations

import pandas as pd

from ..._typing import DateLike
from pandas.tseries.holiday import (
    AbstractHolidayCalendar,
    GoodFriday,
    Holiday,
    USLaborDay,
    USMartinLutherKingJr,
    USMemorialDay,
    USPresidentsDay,
    USThanksgivingDay,
    nearest_workday,
)


class _NYSE(AbstractHolidayCalendar):
    rules = [  # noqa: RUF012 - pandas reads the rules from this class attribute
        # New Year's Day on a Saturday is not moved back to Friday: the exchange opens on 31 December.
        Holiday("New Year's Day", month=1, day=1, observance=lambda d: d + pd.Timedelta(days=1) if d.weekday() == 6 else d),
        USMartinLutherKingJr,
        USPresidentsDay,
        GoodFriday,
        USMemorialDay,
        Holiday("Juneteenth", month=6, day=19, start_date="2022-01-01", observance=nearest_workday),
        Holiday("Independence Day", month=7, day=4, observance=nearest_workday),
        USLaborDay,
        USThanksgivingDay,
        Holiday("Christmas", month=12, day=25, observance=nearest_workday),
    ]


def trading_days(start: DateLike, end: DateLike) -> pd.DatetimeIndex:
    """Weekdays from ``start`` to ``end`` (inclusive) on which the exchange is open."""
    days = pd.bdate_range(start, end)
    holidays = _NYSE().holidays(pd.Timestamp(start) - pd.Timedelta(days=7), pd.Timestamp(end) + pd.Timedelta(days=7))
    return days[~days.isin(holidays)]
