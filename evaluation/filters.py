"""The programme statistics' filters on the page: a programme code and a generation. A
generation that is not a number is ignored (the API answers it with a 400 instead)."""

from django import forms


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
