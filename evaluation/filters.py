"""The filters of the programme statistics and of the oversight on the page: a programme code
and a generation (and for the oversight a phase, the silent ones only and a sort). A value that is
not valid is ignored (the API answers it with a 400 instead)."""

from django import forms

from partnerships.models import Partnership

from .selectors import SORT_CHOICES


class StatisticsFilterForm(forms.Form):
    programme = forms.CharField(required=False, strip=False)
    generation = forms.IntegerField(required=False)

    def filters(self) -> dict:
        """``programme`` and ``generation`` for ``selectors.filtered_partnerships``: None where
        not given (or not a number)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "programme": data.get("programme") or None,
            "generation": data.get("generation") or None,
        }


class OversightFilterForm(StatisticsFilterForm):
    phase = forms.ChoiceField(required=False, choices=[("", "")] + Partnership.Phase.choices)
    silent = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=[(name, name) for name in SORT_CHOICES])

    def filters(self) -> dict:
        """``filtered_partnerships``' filters and ``selectors.oversight``'s (``phase``,
        ``silent``, ``sort``)."""
        filters = super().filters()
        data = self.cleaned_data
        return {
            **filters,
            "phase": data.get("phase") or None,
            "silent": bool(data.get("silent")),
            "sort": data.get("sort") or "risk",
        }
