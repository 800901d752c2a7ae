"""Webhook writes: subscriptions (create, change, delete, resume, ping), the fan-out of an event
to the subscriptions whose owner may see its object, and the worker's delivery of one payload
with retries, exponential backoff and an automatic pause.

The domain services call ``emit`` inside their write; the fan-out runs once the write has
committed, each delivery row and its job written together through the job outbox."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.jobs.outbox import enqueue
from escp_portal.services import apply_fields, require

from . import events, rules, sending
from .models import Delivery, Subscription
from .urls_check import check_url

logger = logging.getLogger(__name__)

SUBSCRIPTION_FIELDS = ("url", "description", "events", "active")


def _setting(name: str, default):
    return getattr(settings, name, default)


def retry_base_seconds() -> float:
    return float(_setting("WEBHOOK_RETRY_BASE_SECONDS", 30))


def max_attempts() -> int:
    return int(_setting("WEBHOOK_MAX_ATTEMPTS", 6))


def pause_after() -> int:
    return int(_setting("WEBHOOK_PAUSE_AFTER_FAILURES", 5))


def backoff_seconds(attempts: int) -> float:
    """The wait after the ``attempts``-th failed try: the base, then twice as long each time."""
    return retry_base_seconds() * 2 ** max(attempts - 1, 0)


# --- subscriptions -------------------------------------------------------------------------------


def _clean(subscription: Subscription) -> None:
    names = subscription.events
    if not isinstance(names, list) or not names:
        raise ValidationError({"events": _("Choose at least one event.")})
    unknown = sorted({str(n) for n in names} - set(events.NAMES))
    if unknown:
        raise ValidationError(
            {"events": _("Unknown events: %(names)s") % {"names": ", ".join(unknown)}}
        )
    subscription.events = [n for n in events.NAMES if n in set(names)]
    check_url(subscription.url)
    subscription.full_clean()


def subscription_create(
    *, actor, url: str, events: list, description: str = "", active: bool = True
) -> Subscription:
    require(rules.may_subscribe(actor))
    subscription = Subscription(
        owner=actor, url=url, events=list(events), description=description, active=active
    )
    _clean(subscription)
    subscription.save()
    return subscription


def subscription_update(*, actor, subscription: Subscription, **data) -> Subscription:
    require(rules.owns(actor, subscription))
    apply_fields(subscription, data, SUBSCRIPTION_FIELDS)
    _clean(subscription)
    subscription.save()
    return subscription


def subscription_delete(*, actor, subscription: Subscription) -> None:
    require(rules.owns(actor, subscription))
    subscription.delete()


def subscription_resume(*, actor, subscription: Subscription) -> Subscription:
    """Unpause: the failure count starts again, and the deliveries held while it was paused
    are sent now."""
    require(rules.owns(actor, subscription))
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        locked.paused_at, locked.pause_reason, locked.consecutive_failures = None, "", 0
        locked.save(update_fields=["paused_at", "pause_reason", "consecutive_failures"])
        held = Delivery.objects.filter(
            subscription=locked,
            status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING],
        )
        ids = list(held.values_list("pk", flat=True))
        held.update(next_attempt_at=None)  # due now: their jobs came while it was paused
        for pk in ids:
            _send_later(pk)
    for name in ("paused_at", "pause_reason", "consecutive_failures"):
        setattr(subscription, name, getattr(locked, name))
    return subscription


def subscription_ping(*, actor, subscription: Subscription) -> Delivery:
    """A test event to the subscription's URL, whatever events it chose."""
    require(rules.owns(actor, subscription))
    if not subscription.receiving:
        raise ValidationError(_("This subscription is paused or inactive: resume it first."))
    event_id = uuid.uuid4()
    payload = _payload(events.PING, event_id, {"resource": "subscription", "id": subscription.pk})
    with transaction.atomic():
        delivery = Delivery.objects.create(
            subscription=subscription, event=events.PING, event_id=event_id, payload=payload
        )
        _send_later(delivery.pk)
    return delivery


def delivery_redeliver(*, actor, delivery: Delivery) -> Delivery:
    """Send a delivery's payload again, as a new delivery (same event id, new delivery id)."""
    subscription = delivery.subscription
    require(rules.owns(actor, subscription))
    if not subscription.receiving:
        raise ValidationError(_("This subscription is paused or inactive: resume it first."))
    with transaction.atomic():
        again = Delivery.objects.create(
            subscription=subscription,
            event=delivery.event,
            event_id=delivery.event_id,
            object_model=delivery.object_model,
            object_id=delivery.object_id,
            payload=delivery.payload,
            redelivery_of=delivery,
        )
        _send_later(again.pk)
    return again


# --- events --------------------------------------------------------------------------------------


def emit(event: str, instance) -> None:
    """Announce ``event`` about ``instance`` (a saved row of the event's model) once the current
    transaction commits; the same event about the same row is announced once per transaction."""
    emit_many(event, [instance])


def emit_many(event: str, instances) -> None:
    spec = events.EVENTS[event]
    items = [(instance.pk, _data(spec, instance)) for instance in instances]
    items = [item for item in items if not _announced(event, spec.model, item[0])]
    if not items:
        return

    def announce():
        announce.done = True
        try:
            fan_out(event, items)
        except Exception:  # the write stands; a lost announcement must not turn it into a 500
            logger.exception("could not announce %s", event)

    announce.webhook_keys = {(event, spec.model, pk) for pk, _body in items}
    transaction.on_commit(announce)


def _announced(event: str, model: str, pk) -> bool:
    if not connection.in_atomic_block:
        return False
    return any(
        (event, model, pk) in getattr(func, "webhook_keys", ()) and not getattr(func, "done", False)
        for _sids, func, _robust in connection.run_on_commit
    )


def _json(value):
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)  # Decimal, country, …


def _data(spec: events.Event, instance) -> dict:
    from escp_portal.accounts.policy import partnership_id_of

    return {
        "resource": spec.label,
        "id": instance.pk,
        "partnership_id": partnership_id_of(instance),
        "object": {name: _json(getattr(instance, name, None)) for name in spec.fields},
    }


def _payload(event: str, event_id, data: dict) -> dict:
    return {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "data": data,
    }


def _visible(subscription: Subscription, model_label: str, pk) -> bool:
    model = apps.get_model(model_label)
    return model.objects.visible_to(subscription.owner).filter(pk=pk).exists()


def fan_out(event: str, items) -> list[Delivery]:
    """A delivery of each (pk, data) to each receiving subscription of ``event`` whose owner may
    see the object now; returns them."""
    spec = events.EVENTS[event]
    subscriptions = [
        s
        for s in Subscription.objects.filter(active=True, paused_at__isnull=True).select_related(
            "owner"
        )
        if event in s.events
    ]
    made = []
    if not subscriptions:
        return made
    with transaction.atomic():
        for pk, data in items:
            event_id = uuid.uuid4()
            payload = _payload(event, event_id, data)
            for subscription in subscriptions:
                if not _visible(subscription, spec.model, pk):
                    continue
                delivery = Delivery.objects.create(
                    subscription=subscription,
                    event=event,
                    event_id=event_id,
                    object_model=spec.model,
                    object_id=pk,
                    payload=payload,
                )
                _send_later(delivery.pk)
                made.append(delivery)
    return made


# --- delivery (the worker) -----------------------------------------------------------------------


def _send_later(delivery_id: int, countdown: float | None = None) -> None:
    from .tasks import deliver_webhook

    queue = getattr(settings, "WEBHOOK_QUEUE", "") or None
    enqueue(deliver_webhook, kwargs={"delivery_id": delivery_id}, countdown=countdown, queue=queue)


DONE = (Delivery.Status.SUCCEEDED, Delivery.Status.FAILED, Delivery.Status.DROPPED)
# A job may arrive a little before the time it was delayed to (clocks of two machines).
EARLY_TOLERANCE = timedelta(milliseconds=250)
# A first attempt that has not happened this long after the event: its job was lost.
LOST_AFTER = timedelta(minutes=10)


def deliver(delivery_id: int) -> str:
    """One attempt at a delivery (the worker's job); returns what became of it. Idempotent: a
    delivery done, not yet due or held by a paused subscription is left as it is."""
    now = timezone.now()
    pause = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("subscription__owner")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in DONE:
            return "done"
        if delivery.next_attempt_at and now < delivery.next_attempt_at - EARLY_TOLERANCE:
            return "not due"
        subscription = delivery.subscription
        if not subscription.receiving:
            return "held"  # sent when the subscription is resumed
        if delivery.object_model and not _visible(
            subscription, delivery.object_model, delivery.object_id
        ):
            delivery.status = Delivery.Status.DROPPED
            delivery.last_error = "not visible"
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
            return "dropped"
        result = sending.post(subscription, delivery)
        delivery.attempts += 1
        delivery.attempt_log = [*delivery.attempt_log, result.as_log()]
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error[:500]
        if result.ok:
            delivery.status = Delivery.Status.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            if subscription.consecutive_failures:
                Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        elif delivery.attempts >= max_attempts():
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
            pause = _count_failure(subscription)
        else:
            delay = backoff_seconds(delivery.attempts)
            delivery.status = Delivery.Status.RETRYING
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            _send_later(delivery.pk, countdown=delay)
        delivery.save()
    if pause is not None:
        transaction.on_commit(lambda: _tell_owner_of_pause(pause))
    return delivery.status


def _count_failure(subscription: Subscription) -> Subscription | None:
    """One more delivery failed for good; the subscription pauses at the threshold. Returns it
    when this call paused it (its owner is told once)."""
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    locked.consecutive_failures = F("consecutive_failures") + 1
    locked.save(update_fields=["consecutive_failures"])
    locked.refresh_from_db(fields=["consecutive_failures"])
    if locked.paused_at is None and locked.consecutive_failures >= pause_after():
        locked.paused_at = timezone.now()
        locked.pause_reason = _("%(n)s deliveries in a row failed.") % {
            "n": locked.consecutive_failures
        }
        locked.save(update_fields=["paused_at", "pause_reason"])
        locked.owner = subscription.owner
        return locked
    return None


def _tell_owner_of_pause(subscription: Subscription) -> None:
    try:
        sending.mail_paused(subscription)
    except Exception:  # the pause stands; the page and the API show it
        logger.exception("could not tell the owner of subscription %s of its pause", subscription)


def retry_due() -> int:
    """Periodic: send the deliveries whose next attempt is due (a job lost on the way, or
    delays the broker did not keep); returns how many were sent."""
    now = timezone.now()
    due = Delivery.objects.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING],
        subscription__active=True,
        subscription__paused_at__isnull=True,
    ).filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - LOST_AFTER)
    )
    ids = list(due.values_list("pk", flat=True)[:500])
    with transaction.atomic():
        for pk in ids:
            _send_later(pk)
    return len(ids)
