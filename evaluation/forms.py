"""The scoreboard page's forms: sign-off, assessment, answer to a review, and the officer's review
on the KPI page. They parse; the services decide (and word their refusals)."""

from django import forms

from escp_portal.hostile import bound_fields

from .models import Assessment


class BoundedForm(forms.Form):
    """Dates within the portal's years and whole numbers within the database's, as in every
    other form (``escp_portal.hostile``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_fields(self.fields)


class SignOffForm(BoundedForm):
    period_end = forms.DateField(input_formats=["%Y-%m-%d"])


class AssessmentForm(BoundedForm):
    kind = forms.CharField(required=False, strip=False)
    date = forms.DateField(input_formats=["%Y-%m-%d"])
    title = forms.CharField(required=False, strip=False)
    findings = forms.CharField(required=False, strip=False)
    adjustments = forms.CharField(required=False, strip=False)

    def clean_kind(self):
        # Not sent: "other"; whatever is sent goes to the service, which checks it.
        return self.data.get("kind", Assessment.Kind.OTHER)


class ReviewAnswerForm(BoundedForm):
    review = forms.IntegerField(min_value=0)
    response = forms.CharField(required=False, strip=False)


class ReviewForm(BoundedForm):
    flag = forms.CharField(required=False, strip=False)
    comment = forms.CharField(required=False, strip=False)
