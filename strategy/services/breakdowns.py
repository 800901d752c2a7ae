"""The parts of a reported value (``MeasurementPart``): checked against the KPI's declared
breakdowns, and written with the value in the reporting service's transaction."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from escp_portal import audit

from ..models import KPI, Breakdown, Measurement, MeasurementPart, SmeSize
from .common import as_decimal

MAX_PARTS = 300


def clean_parts(kpi: KPI, value: Decimal, parts) -> list[MeasurementPart]:
    """The parts as unsaved rows, or a ValidationError on ``parts`` naming every problem: a
    dimension the KPI does not declare, an unknown partner, country or size, a part given
    twice, parts of one dimension that do not add up to the value. A dimension may be left out
    (nothing known about it); one that is given is given whole."""
    if not parts:
        return []
    if not isinstance(parts, list | tuple) or len(parts) > MAX_PARTS:
        raise ValidationError(
            {"parts": _("Send the parts as a list of at most %(n)s items.") % {"n": MAX_PARTS}}
        )
    if not kpi.breakdowns:
        raise ValidationError({"parts": _("This KPI declares no breakdown: send no parts.")})
    errors, rows, sums = [], [], defaultdict(Decimal)
    partners = None
    for part in parts:
        if not isinstance(part, dict):
            errors.append(_("Each part has a dimension, a key and a value."))
            continue
        dimension = str(part.get("dimension") or "")
        key = str(part.get("key") or "").strip()
        if dimension not in kpi.breakdowns:
            errors.append(
                _("This KPI is not broken down by “%(d)s” (it is by: %(declared)s).")
                % {"d": dimension[:20], "declared": ", ".join(kpi.breakdowns)}
            )
            continue
        if dimension == Breakdown.COUNTRY:
            key = key.upper()
            valid = key in dict(countries)
        elif dimension == Breakdown.SME_SIZE:
            valid = key in SmeSize.values
        else:
            if partners is None:
                partners = {
                    str(pk)
                    for pk in kpi.objective.strategy.partnership.partners.values_list(
                        "pk", flat=True
                    )
                }
            valid = key in partners
        if not valid:
            errors.append(
                _("“%(key)s” is not one of the breakdown “%(dimension)s” of this KPI.")
                % {"key": key[:20], "dimension": Breakdown(dimension).label}
            )
            continue
        if any(r.dimension == dimension and r.key == key for r in rows):
            errors.append(_("“%(key)s” is given twice.") % {"key": key})
            continue
        try:
            amount = as_decimal(part.get("value"), "parts")
        except ValidationError:
            errors.append(
                _("The part “%(key)s” needs a number below 10,000,000,000,000.") % {"key": key}
            )
            continue
        rows.append(MeasurementPart(dimension=dimension, key=key, value=amount))
        sums[dimension] += amount
    for dimension, total in sums.items():
        if total != value:
            errors.append(
                _(
                    "The parts of the breakdown “%(dimension)s” add up to %(total)s, not to the "
                    "value %(value)s."
                )
                % {
                    "dimension": Breakdown(dimension).label,
                    "total": f"{total:.2f}",
                    "value": f"{value:.2f}",
                }
            )
    if errors:
        raise ValidationError({"parts": errors})
    return rows


def check_kept_parts(measurement: Measurement, value: Decimal) -> None:
    """A value changed without its parts: the parts it has must still add up to it."""
    sums = defaultdict(Decimal)
    for dimension, amount in measurement.parts.values_list("dimension", "value"):
        sums[dimension] += amount
    if any(total != value for total in sums.values()):
        raise ValidationError(
            {"parts": _("The value has a breakdown that no longer adds up: send its parts too.")}
        )


def replace_parts(measurement: Measurement, rows: list[MeasurementPart]) -> None:
    """The measurement's parts become ``rows`` (inside the caller's transaction and actor)."""
    measurement.parts.all().delete()
    for row in rows:
        row.measurement = measurement
    audit.log_created(MeasurementPart.objects.bulk_create(rows))


def copy_parts(source_id: int, measurement: Measurement) -> None:
    """The parts of one measurement copied to another (a new version's copy of the value)."""
    rows = [
        MeasurementPart(measurement=measurement, dimension=d, key=k, value=v)
        for d, k, v in MeasurementPart.objects.filter(measurement_id=source_id).values_list(
            "dimension", "key", "value"
        )
    ]
    if rows:
        audit.log_created(MeasurementPart.objects.bulk_create(rows))
