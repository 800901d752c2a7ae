"""The OpenAPI schema as a contract an integrator can build on from the schema alone.

``ContractSchema`` (``DEFAULT_SCHEMA_CLASS``) gives every operation a summary and a description
of its own, composed from the action and the model's verbose names, and documents the error
answers each operation can give, all in the one shape of ``escp_portal.api.exceptions``
(the ``Error`` component). A summary or description given with ``extend_schema`` wins.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc
from rest_framework import serializers

from .exceptions import ErrorSerializer, ValidationErrorsSerializer

# What each error answer means; which operations document it is decided in ``_error_codes``.
ERRORS = {
    "400": (
        "The request has invalid data (`code` is `invalid`): `errors` maps each field, "
        "`non_field_errors` (the object as a whole) or `rows` (bulk writes) to what is wrong."
    ),
    "401": (
        "No valid credentials (`code` is `not_authenticated` or `authentication_failed`): send "
        "`Authorization: Token <key>` with a token that is neither expired nor revoked."
    ),
    "403": ("The access policy refuses this to the token's user (`code` is `permission_denied`)."),
    "404": (
        "No such object, or one the token's user may not see (`code` is `not_found`): the two "
        "cases are not told apart."
    ),
    "409": (
        "A request with the same `Idempotency-Key` is still being processed "
        "(`code` is `in_progress`): try again in a moment."
    ),
    "412": (
        "`If-Match` names an older version of the object (`code` is `precondition_failed`): "
        "nothing was written. Read the object again and resend with its new `ETag`."
    ),
    "429": (
        "Too many requests (`code` is `throttled` or `locked_out`): wait the number of seconds "
        "given in `Retry-After`."
    ),
}

ERROR_EXAMPLES = {
    "400": {
        "status": 400,
        "code": "invalid",
        "detail": "The request has invalid data.",
        "errors": {"end_date": ["The end date must be after the start date."]},
    },
    "401": {
        "status": 401,
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    },
    "403": {
        "status": 403,
        "code": "permission_denied",
        "detail": "You do not have permission to perform this action.",
    },
    "404": {"status": 404, "code": "not_found", "detail": "Not found."},
    "409": {
        "status": 409,
        "code": "in_progress",
        "detail": "A request with this Idempotency-Key is still being processed; try again.",
    },
    "412": {
        "status": 412,
        "code": "precondition_failed",
        "detail": "The object was changed since you read it (its ETag is no longer the one in "
        "If-Match). Read it again and send your change with the new ETag.",
    },
    "429": {
        "status": 429,
        "code": "throttled",
        "detail": "Request was throttled. Expected available in 36 seconds.",
    },
}

WRITES = ("POST", "PUT", "PATCH", "DELETE")

# The standard actions: (summary, the sentence that leads the description).
STANDARD = {
    "list": (
        "List {plural}",
        "Lists the {plural} the token's user may see, a page at a time (`page`, `page_size`); "
        "the query parameters narrow the list.",
    ),
    "create": (
        "Create {a} {name}",
        "Creates {a} {name} and answers it as saved, with its `ETag`.",
    ),
    "retrieve": (
        "Read {a} {name}",
        "Reads one {name} by its id; the answer carries its `ETag` for a later `If-Match`.",
    ),
    "update": (
        "Replace {a} {name}",
        "Replaces the writable fields of {a} {name} with those sent (all required ones must be "
        "sent) and answers it as saved.",
    ),
    "partial_update": (
        "Update {a} {name}",
        "Changes the fields sent of {a} {name}, leaving the others as they are, and answers it "
        "as saved.",
    ),
    "destroy": (
        "Delete {a} {name}",
        "Deletes {a} {name}; the answer is a 204 with no body.",
    ),
}

# Custom actions whose name is not a verb that reads well before the object.
ACTION_SUMMARIES = {
    "bulk": "Write many {plural} at once",
    "personal_data": "Export the personal data of {a} {name}",
    "return_": "Return {a} {name} for revision",
    "overlaps": "List overlapping missions of different partnerships",
    "schedule_meetings": "Schedule the B2B meetings of {a} {name}",
    "agenda": "Read the meeting agenda of {a} {name}",
    "outcome": "Record what came of {a} {name}",
    "status": "Set the status of {a} {name}",
    "answers": "Answers to {a} {name}",
    "share": "Share {a} {name} with the partners",
}

# Acronyms read letter by letter that take "an" (an EU call, an SME).
_AN_LETTERS = set("AEFHILMNORSX")


def article(name: str) -> str:
    word = name.split(" ", 1)[0]
    if word.isupper():
        return "an" if word[0] in _AN_LETTERS else "a"
    if word[:1].lower() in "aeio" or (word[:1].lower() == "u" and not word.startswith("us")):
        return "an"
    return "a"


def first_paragraph(doc: str) -> str:
    return doc.strip().split("\n\n", 1)[0].strip()


class ContractSchema(AutoSchema):
    # --- summary and description ----------------------------------------------------------------

    def _model(self):
        queryset = getattr(self.view, "queryset", None)
        if queryset is not None:
            return queryset.model
        serializer_class = getattr(self.view, "serializer_class", None)
        meta = getattr(serializer_class, "Meta", None)
        return getattr(meta, "model", None)

    def _names(self) -> dict:
        model = self._model()
        if model is None:
            return {}
        name = str(model._meta.verbose_name)
        return {"a": article(name), "name": name, "plural": str(model._meta.verbose_name_plural)}

    def _action(self) -> str:
        return getattr(self.view, "action", None) or self.method.lower()

    def _action_doc(self) -> str:
        action = getattr(self.view, "action", None)
        if action is None:
            return ""
        doc = get_doc(getattr(self.view, action, None))
        return "" if doc == get_doc(self.view.__class__) else first_paragraph(doc)

    def get_summary(self):
        names = self._names()
        action = self._action()
        if names and action in STANDARD:
            return STANDARD[action][0].format(**names)
        if names and getattr(self.view, "action", None):
            template = ACTION_SUMMARIES.get(action)
            if template is None:
                verb = action.strip("_").replace("_", " ").capitalize()
                template = verb + (" {a} {name}" if self.view.detail else " {plural}")
            summary = template.format(**names)
            if action == "answers":
                summary = ("List the answers to" if self.method == "GET" else "Answer") + (
                    f" {names['a']} {names['name']}"
                )
            return summary
        # An APIView without a model and without an explicit summary: its docstring's first
        # sentence.
        doc = first_paragraph(get_doc(self.view.__class__)).replace("\n", " ")
        return doc.split(". ", 1)[0].rstrip(".") or self.method.capitalize()

    def get_description(self):
        names = self._names()
        action = self._action()
        view_doc = first_paragraph(get_doc(self.view.__class__))
        if names and action in STANDARD:
            lead = STANDARD[action][1].format(**names)
        else:
            lead = self._action_doc()
            if not lead and getattr(self.view, "action", None) is None:
                # An APIView: what this method does, its docstring being the view's.
                method_doc = first_paragraph(get_doc(getattr(self.view, self.method.lower(), None)))
                lead = method_doc if method_doc and method_doc != view_doc else ""
            if not lead:
                lead = self.get_summary() + "."
        return lead if not view_doc or view_doc == lead else f"{lead}\n\n{view_doc}"

    # --- error answers --------------------------------------------------------------------------

    def _error_codes(self, operation) -> list[str]:
        headers = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"}
        queries = {
            p["name"]
            for p in operation.get("parameters", [])
            if p.get("in") == "query" and p["name"] not in ("page", "page_size")
        }
        codes = ["401", "403", "429"]
        if self.method in WRITES or queries or "requestBody" in operation:
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        if "Idempotency-Key" in headers:
            codes.append("409")
        if "If-Match" in headers:
            codes.append("412")
        return codes

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        # Every 4xx, whether given by extend_schema or by the rules, has the one error body.
        codes = set(self._error_codes(operation)) | {c for c in responses if c.startswith("4")}
        for code in codes:
            given = responses.get(code, {}).get("description")
            responses[code] = self._get_response_for_code(ErrorSerializer, code)
            responses[code]["description"] = given or ERRORS.get(code, "")
            if code in ERROR_EXAMPLES:
                for media in responses[code].get("content", {}).values():
                    media["examples"] = {
                        f"Error{code}": {"value": ERROR_EXAMPLES[code], "summary": f"Error {code}"}
                    }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    # --- property descriptions ------------------------------------------------------------------

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if isinstance(serializer, ValidationErrorsSerializer):
            schema["additionalProperties"] = {
                "description": "A field's messages (a list of strings); for a nested object, its "
                "own field errors; for a list of nested objects, one such object per item."
            }
        return schema

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if "description" not in meta and isinstance(field, serializers.Field):
            described = _describe(field)
            if described:
                meta["description"] = described
        return meta


def _verbose(queryset, plural=False):
    model = getattr(queryset, "model", None)
    if model is None:
        return None
    return str(model._meta.verbose_name_plural if plural else model._meta.verbose_name)


def _describe(field) -> str | None:
    """What a field without help text is, when its kind says it: the id of a related object,
    the ids of several, the object's own id."""
    if isinstance(field, serializers.ManyRelatedField):
        child = field.child_relation
        name = _verbose(getattr(child, "queryset", None), plural=True)
        if name and isinstance(child, serializers.PrimaryKeyRelatedField):
            return f"Ids of the {name}."
        if name and isinstance(child, serializers.SlugRelatedField):
            return f"The {child.slug_field} of each of the {name}."
        return None
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        name = _verbose(getattr(field, "queryset", None))
        if name is None:
            model = _model_of(field.parent)
            related = _related_model(model, field.source)
            name = related and str(related._meta.verbose_name)
        return f"Id of the {name}." if name else None
    if isinstance(field, serializers.SlugRelatedField):
        name = _verbose(getattr(field, "queryset", None))
        return f"The {field.slug_field} of the {name}." if name else None
    if field.field_name == "id" and field.read_only:
        model = _model_of(field.parent)
        if model is not None:
            return f"Id of the {model._meta.verbose_name}, given by the portal."
    return None


def _model_of(serializer):
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _related_model(model, source):
    if model is None or not source or "." in source:
        return None
    try:
        return model._meta.get_field(source).related_model
    except Exception:
        return None
