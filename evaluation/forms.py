"""The scoreboard page's forms: sign-off, assessment, answer to a review, and the officer's review
on the KPI page. They parse; the services decide (and word their refusals)."""

from django import forms

from .models import Assessment


class SignOffForm(forms.Form):
    period_end = forms.DateField(input_formats=["%Y-%m-%d"])


class AssessmentForm(forms.Form):
    kind = forms.CharField(required=False, strip=False)
    date = forms.DateField(input_formats=["%Y-%m-%d"])
    title = forms.CharField(required=False, strip=False)
    findings = forms.CharField(required=False, strip=False)
    adjustments = forms.CharField(required=False, strip=False)

    def clean_kind(self):
        # Not sent: "other"; whatever is sent goes to the service, which checks it.
        return self.data.get("kind", Assessment.Kind.OTHER)


class ReviewAnswerForm(forms.Form):
    review = forms.IntegerField(min_value=0)
    response = forms.CharField(required=False, strip=False)


class ReviewForm(forms.Form):
    flag = forms.CharField(required=False, strip=False)
    comment = forms.CharField(required=False, strip=False)
