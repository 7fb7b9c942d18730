from django import forms

from common import clock
from common.forms import BoundedDateField

FUTURE_AS_OF = "数据截至日期不能晚于今天，已按今天显示。"


class AsOfForm(forms.Form):
    as_of = BoundedDateField(required=False)
    programme = forms.IntegerField(required=False, min_value=1)

    # Shown above the page when the date asked for was moved back (else "").
    as_of_notice = ""

    def clean_as_of(self):
        """No figures exist after today: a later date is read as today, and the page says so
        (a bulletin or export asked for it is dated today, which it says on its first line)."""
        as_of = self.cleaned_data.get("as_of")
        today = clock.today()
        if as_of and as_of > today:
            self.as_of_notice = FUTURE_AS_OF
            return today
        return as_of


class RankingForm(AsOfForm):
    """The ranking page's: the date, the programme and the ranking group shown (全部: all)."""

    # No length limit: a refused field would drop the date too (views._context); an unknown
    # name is said, shortened, above the first group (ranking_group_choose).
    group = forms.CharField(required=False, strip=True)
