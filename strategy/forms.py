from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import searchable_formfield
from escp_portal.forms import BootstrapFormMixin, PartnerChoiceMixin, choices_from
from escp_portal.uploads import megabytes, too_large
from partnerships.forms import DateInput
from partnerships.models import Partner

from . import services
from .models import (
    KPI,
    Breakdown,
    CoreIndicator,
    Decision,
    MarketStudy,
    Milestone,
    Objective,
    PartnershipMeeting,
    SmeSize,
    Strategy,
    StrategyFeedback,
    TargetMarket,
    Task,
    TrademarkLicence,
    ValueChainStage,
)
from .services import coordination as services_coordination
from .services import trademark as services_trademark
from .sources import source_choices


class StrategyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = list(services.STRATEGY_FIELDS)
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "mission": forms.Textarea(attrs={"rows": 3}),
        }


class ObjectiveForm(PartnerChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    partner_fields = ("owner",)

    class Meta:
        model = Objective
        fields = list(services.OBJECTIVE_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "target_date": DateInput(),
            "statement": forms.Textarea(attrs={"rows": 3}),
        }


class KPIForm(PartnerChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    partner_fields = ("responsible",)

    class Meta:
        model = KPI
        fields = list(services.KPI_FIELDS)
        widgets = {
            "baseline_date": DateInput(),
            "target_date": DateInput(),
            "collection_protocol": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = forms.ChoiceField(
            label=_("Source of values"),
            choices=source_choices(),
            help_text=_("Reported by the partners, or computed from the portal's records."),
        )
        self.fields["source"].widget.attrs["class"] = "form-select"
        indicator = self.fields["core_indicator"]
        indicator.queryset = CoreIndicator.objects.filter(
            Q(active=True) | Q(pk=self.instance.core_indicator_id)
        )
        indicator.label_from_instance = lambda i: f"{i.name} ({i.unit})"
        self.fields["breakdowns"] = forms.MultipleChoiceField(
            label=_("Breakdowns"),
            choices=Breakdown.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            help_text=_(
                "What each reported value is split by; the parts of one breakdown add up to "
                "the value."
            ),
        )


class MilestoneForm(BootstrapFormMixin, forms.ModelForm):
    """A milestone of a KPI: added with an empty instance, changed with the saved one (its
    version is checked). The service checks the dates and that each date is used once."""

    class Meta:
        model = Milestone
        fields = ["date", "value"]
        widgets = {"date": DateInput()}
        labels = {"date": _("Due by"), "value": _("Value due")}


class TaskForm(PartnerChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    partner_fields = ("responsible",)

    class Meta:
        model = Task
        fields = [*services.TASK_FIELDS, "responsible"]
        widgets = {
            "due_date": DateInput(),
            "completed_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "responsible": forms.CheckboxSelectMultiple(),
        }


class TaskStatusForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["status", "completed_on"]
        widgets = {"completed_on": DateInput()}


class ReportForm(BootstrapFormMixin, forms.Form):
    creates = True

    period_end = forms.TypedChoiceField(label=_("Period"), coerce=str)
    value = forms.DecimalField(label=_("Value"), max_digits=15, decimal_places=2)
    evidence_url = forms.URLField(label=_("Evidence (link)"), required=False)
    evidence_file = forms.FileField(label=_("Evidence (file)"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Reason for a correction"),
        required=False,
        help_text=_("Needed when you change a value that was already approved."),
    )

    def clean_evidence_file(self):
        """Refused by its size before anything reads it (the model checks its content)."""
        file = self.cleaned_data["evidence_file"]
        if file and too_large(file, settings.EVIDENCE_MAX_BYTES):
            raise ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": megabytes(settings.EVIDENCE_MAX_BYTES)},
                code="too_large",
            )
        return file

    def __init__(self, *args, periods=(), breakdowns=(), partners=(), **kwargs):
        self.part_fields = {}  # field name -> (dimension, key); countries: one text field
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].help_text = _(
            "PDF, image, spreadsheet or document; at most %(mb)s MB."
        ) % {"mb": megabytes(settings.EVIDENCE_MAX_BYTES)}
        # The latest period first: it is the one usually reported.
        self.fields["period_end"].choices = [
            (p.isoformat(), p.isoformat()) for p in reversed(list(periods))
        ]
        self._add_part_fields(breakdowns, partners)

    def _add_part_fields(self, breakdowns, partners) -> None:
        """One number per partner and per SME size, one text for the countries (``DE: 12`` a
        line), for the breakdowns the KPI declares. Left blank: no part."""
        keys = {
            Breakdown.PARTNER: [(str(p.pk), str(p.cluster)) for p in partners],
            Breakdown.SME_SIZE: list(SmeSize.choices),
        }
        for dimension in breakdowns:
            label = Breakdown(dimension).label
            if dimension == Breakdown.COUNTRY:
                self.fields["parts_country"] = forms.CharField(
                    label=_("By country"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                    help_text=_("One country a line: its ISO code and its part, e.g. DE: 12"),
                )
                continue
            for key, name in keys.get(dimension, []):
                field_name = f"parts_{dimension}_{key}"
                self.fields[field_name] = forms.DecimalField(
                    label=_("%(dimension)s: %(part)s") % {"dimension": label, "part": name},
                    max_digits=15,
                    decimal_places=2,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
                )
                self.part_fields[field_name] = (dimension, key)

    def clean_parts_country(self):
        lines = [line.strip() for line in self.cleaned_data["parts_country"].splitlines()]
        parts = []
        for line in filter(None, lines):
            key, _sep, value = line.replace("=", ":").partition(":")
            if not _sep:
                key, _sep, value = line.partition(" ")
            if not value.strip():
                raise ValidationError(
                    _("Write each line as a country code and a number, e.g. DE: 12.")
                )
            parts.append({"dimension": Breakdown.COUNTRY, "key": key.strip(), "value": value})
        return parts

    def parts(self) -> list[dict]:
        """The parts filled in, as the reporting service takes them."""
        parts = [
            {"dimension": dimension, "key": key, "value": self.cleaned_data[name]}
            for name, (dimension, key) in self.part_fields.items()
            if self.cleaned_data.get(name) is not None
        ]
        return parts + list(self.cleaned_data.get("parts_country") or [])


class StageForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ValueChainStage
        fields = ["name", "order", "description", "depends_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "depends_on": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, chain, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].queryset = chain.stages.all()
        if stages is not None:  # the chain's stages, loaded by the page already
            choices_from(self.fields["depends_on"], stages)


class AssignmentForm(BootstrapFormMixin, forms.Form):
    creates = True

    stage = forms.ModelChoiceField(queryset=ValueChainStage.objects.none(), label=_("Stage"))
    partner = forms.ModelChoiceField(queryset=None, required=False, label=_("Partner cluster"))
    member = forms.ModelChoiceField(queryset=None, required=False, label=_("or a member"))
    contribution = forms.CharField(max_length=300, required=False, label=_("Contribution"))

    def __init__(self, *args, chain, members, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = chain.stages.all()
        if stages is not None:  # the chain's stages, loaded by the page already
            choices_from(self.fields["stage"], stages)
        self.fields["partner"].queryset = chain.partnership.partners.select_related("cluster")
        self.fields["partner"].label_from_instance = lambda p: str(p.cluster)
        self.fields["member"].queryset = members

    def clean(self):
        data = super().clean()
        if bool(data.get("partner")) == bool(data.get("member")):
            raise forms.ValidationError(_("Choose a partner or a member (one of the two)."))
        return data


class TargetMarketForm(PartnerChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    partner_fields = ("lead_partner",)

    class Meta:
        model = TargetMarket
        formfield_callback = searchable_formfield
        fields = list(services.MARKET_FIELDS)
        widgets = {"rationale": forms.Textarea(attrs={"rows": 3})}


class MarketStudyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MarketStudy
        fields = list(services.STUDY_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "segments",
                "growth",
                "profitability",
                "trends",
                "key_success_factors",
                "sources",
            )
        }


# --- inclusive coordination, the meeting log, the collective trademark ---------------------------


class FeedbackForm(BootstrapFormMixin, forms.Form):
    """A partner's comment on a shared draft, or its endorsement."""

    creates = True

    partner = forms.ModelChoiceField(label=_("On behalf of"), queryset=None)
    feedback_kind = forms.ChoiceField(
        label=_("What you give"),
        choices=StrategyFeedback.Kind.choices,
        initial=StrategyFeedback.Kind.COMMENT,
    )
    text = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed for a comment; optional with an endorsement."),
    )

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.queryset = Partner.objects.filter(pk__in=[p.pk for p in partners]).select_related(
            "cluster"
        )
        field.label_from_instance = lambda p: str(p.cluster)
        if len(partners) == 1:
            field.initial = partners[0].pk

    def clean(self):
        data = super().clean()
        if data.get("feedback_kind") == StrategyFeedback.Kind.COMMENT and not data.get("text"):
            self.add_error("text", _("Write the comment."))
        return data


class MeetingForm(PartnerChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    partner_fields = ("attendees",)

    class Meta:
        model = PartnershipMeeting
        fields = [*services_coordination.MEETING_FIELDS, "attendees"]
        widgets = {
            "held_on": DateInput(),
            "attendees": forms.CheckboxSelectMultiple(),
            "people": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }


class DecisionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = list(services_coordination.DECISION_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def limit_to(self, partnership):
        # The newest version's objectives and tasks first (a draft copies the adopted codes).
        self.fields["objective"].queryset = (
            Objective.objects.filter(strategy__partnership=partnership)
            .exclude(strategy__status=Strategy.Status.REVISED)
            .order_by("-strategy__version", "order", "code", "pk")
        )
        self.fields["task"].queryset = (
            Task.objects.filter(objective__strategy__partnership=partnership)
            .exclude(objective__strategy__status=Strategy.Status.REVISED)
            .order_by(
                "-objective__strategy__version",
                "objective__order",
                "objective__code",
                "due_date",
                "pk",
            )
        )


class TrademarkStartForm(PartnerChoiceMixin, BootstrapFormMixin, forms.Form):
    creates = True
    partner_fields = ("responsible",)

    name = forms.CharField(label=_("Name of the mark"), max_length=120)
    goods_and_services = forms.CharField(
        label=_("Goods and services covered"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible partners"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
        help_text=_("They are made responsible for every step; change each step later."),
    )


class LicenceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TrademarkLicence
        fields = ["member", *services_trademark.LICENCE_FIELDS]
        widgets = {"licensed_on": DateInput()}

    def limit_members(self, members):
        self.fields["member"].queryset = members
