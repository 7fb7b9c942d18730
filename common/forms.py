"""Form fields several apps share."""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

# Wide enough for any plan, log or report; narrow enough that a day added or a time zone applied
# stays inside what Python (years 1–9999) and both databases hold.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
DATE_RANGE_MESSAGE = f"日期应在 {EARLIEST_DATE:%Y-%m-%d} 至 {LATEST_DATE:%Y-%m-%d} 之间。"


class BoundedDateField(forms.DateField):
    """A date typed or put in a link, refused in Chinese outside EARLIEST_DATE…LATEST_DATE."""

    default_error_messages = {"invalid": "日期格式应为 YYYY-MM-DD。"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(EARLIEST_DATE, message=DATE_RANGE_MESSAGE),
            MaxValueValidator(LATEST_DATE, message=DATE_RANGE_MESSAGE),
        ]
