"""The SCIM endpoints. Every request needs the bearer token
(directory/scim/auth.py); every answer is application/scim+json, errors as
SCIM Error messages (RFC 7644 §3.12)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    Error,
    ETag,
    Filter,
    InvalidFilterException,
    InvalidSyntaxException,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    Patch,
    PatchOp,
    ResourceType,
    SCIMException,
    ScimFilter,
    SearchRequest,
    ServiceProviderConfig,
    Sort,
    UniquenessException,
)
from scim2_models.path.expressions import AttrPath, CompareOperator, Comparison

from accounts.models import StaffIdentity
from directory.models import DirectoryGroup
from directory.scim import resources
from directory.scim.auth import request_authorized
from directory.services import (
    EmailTaken,
    group_deprovision,
    group_members_change,
    group_provision,
    is_guid,
    user_deprovision,
    user_provision,
)

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/scim+json"
RESOURCE_TYPES = {
    "User": ResourceType.from_resource(resources.UserResource),
    "Group": ResourceType.from_resource(resources.GroupResource),
}
SCHEMAS = {
    str(schema.id): schema for schema in (resources.UserResource.to_schema(), resources.GroupResource.to_schema())
}


class MethodNotAllowed(SCIMException):
    status = 405


def _answer(payload: dict | None, status: int = 200, *, location: str = "") -> HttpResponse:
    if payload is None:
        return HttpResponse(status=status)
    response = HttpResponse(json.dumps(payload), status=status, content_type=CONTENT_TYPE)
    if location:
        response["Location"] = location
    return response


def _error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, scim_type=scim_type, detail=detail)
    return _answer(error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), status)


def scim_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request_authorized(request):
            response = _error(401, "A valid bearer token is required.")
            response["WWW-Authenticate"] = 'Bearer realm="Kontakt SCIM"'
            return response
        try:
            with resources.POLICY:
                return view(request, *args, **kwargs)
        except ValidationError as exc:
            errors = Error.from_validation_errors(exc)
            error = errors[0] if errors else Error(status=400, scim_type="invalidValue", detail=str(exc))
        except SCIMException as exc:
            error = exc.to_error()
        return _answer(error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), int(error.status or 400))

    return wrapped


def _body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InvalidSyntaxException(detail="The request body is not JSON.")
    if not isinstance(body, dict):
        raise InvalidSyntaxException(detail="The request body is not a JSON object.")
    return body


def _names(query: Any, name: str) -> list[str] | None:
    value = query.get(name, "")
    names = [part.strip() for part in value.split(",") if part.strip()]
    return names or None


def _page(query: dict[str, str]) -> tuple[int, int]:
    try:
        start = max(1, int(query.get("startIndex", "1")))
        count = max(0, min(int(query.get("count", str(settings.KONTAKT_SCIM_MAX_RESULTS))), 10**9))
    except ValueError:
        raise InvalidValueException(detail="startIndex and count must be integers.")
    return start, min(count, settings.KONTAKT_SCIM_MAX_RESULTS)


def _list(query: dict[str, str], items: list[Any], total: int, start: int, model: Any) -> HttpResponse:
    response = ListResponse[model](
        total_results=total, start_index=start, items_per_page=len(items), resources=items or None
    )
    parameters = resources.response_parameters(_names(query, "attributes"), _names(query, "excludedAttributes"))
    payload = response.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    payload.setdefault("Resources", [])
    return _answer(payload)


def _simple_equality(expression: ScimFilter) -> tuple[str, str] | None:
    """(attribute, value) for a filter `attr eq "value"`, the kind Entra sends."""
    node = expression.ast
    if (
        isinstance(node, Comparison)
        and node.op == CompareOperator.eq
        and isinstance(node.attr_path, AttrPath)
        and isinstance(node.value, str)
    ):
        path = node.attr_path
        name = path.attr if path.sub_attr is None else f"{path.attr}.{path.sub_attr}"
        return name.lower(), node.value
    return None


def _filtered(queryset: QuerySet, filter_text: str, model: Any, fields: dict[str, str]) -> tuple[QuerySet, Any]:
    """The queryset narrowed by the database for `attr eq "value"` on the
    fields named; any other filter is returned for matching in Python."""
    if not filter_text:
        return queryset, None
    try:
        expression = ScimFilter[model](filter_text)
    except (ValueError, SCIMException) as exc:
        raise InvalidFilterException(detail=f"The filter cannot be read: {exc}")
    simple = _simple_equality(expression)
    if simple and simple[0] in fields:
        field = fields[simple[0]]
        if field == "pk" and not is_guid(simple[1]):
            return queryset.none(), None
        lookup = {f"{field}__iexact": simple[1]} if field != "pk" else {"pk": simple[1]}
        return queryset.filter(**lookup), None
    return queryset, expression


# ------------------------------------------------------------------ discovery


def _read_only(request: HttpRequest) -> None:
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(detail="Only GET is supported here.")


@scim_view
def service_provider_config(request: HttpRequest) -> HttpResponse:
    _read_only(request)
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=settings.KONTAKT_SCIM_MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token made in Kontakt's admin (or configured), sent as Authorization: Bearer",
                primary=True,
            )
        ],
    )
    return _answer(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _discovery_list(request: HttpRequest, items: list[Any]) -> HttpResponse:
    payload = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(items),
        "startIndex": 1,
        "itemsPerPage": len(items),
        "Resources": [item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for item in items],
    }
    return _answer(payload)


@scim_view
def resource_types(request: HttpRequest, resource_id: str = "") -> HttpResponse:
    _read_only(request)
    if resource_id:
        if resource_id not in RESOURCE_TYPES:
            raise NotFoundException(detail="No such resource type.")
        return _answer(RESOURCE_TYPES[resource_id].model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return _discovery_list(request, list(RESOURCE_TYPES.values()))


@scim_view
def schemas(request: HttpRequest, resource_id: str = "") -> HttpResponse:
    _read_only(request)
    if resource_id:
        if resource_id not in SCHEMAS:
            raise NotFoundException(detail="No such schema.")
        return _answer(SCHEMAS[resource_id].model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return _discovery_list(request, list(SCHEMAS.values()))


# ---------------------------------------------------------------------- users

USER_FIELDS = {
    "username": "user_name",
    "externalid": "object_id",
    "id": "pk",
    "emails.value": "user__email",
    "emails": "user__email",
}


def _identities() -> QuerySet[StaffIdentity]:
    return (
        StaffIdentity.objects.select_related("user")
        .filter(deprovisioned_at__isnull=True, tenant_id=_tenant())
        .order_by("created_at", "pk")
    )


def _tenant() -> str:
    return settings.KONTAKT_ENTRA_TENANT_ID.strip().lower()


def _identity(resource_id: str) -> StaffIdentity:
    identity = _identities().filter(pk=resource_id).first() if is_guid(resource_id) else None
    if identity is None:
        raise NotFoundException(detail="No such user.")
    return identity


def _user_answer(request: HttpRequest, identity: StaffIdentity, status: int = 200) -> HttpResponse:
    resource = resources.user_resource(request, identity)
    payload = resources.dump(
        resource, attributes=_names(request.GET, "attributes"), excluded=_names(request.GET, "excludedAttributes")
    )
    return _answer(payload, status, location=str(resource.meta.location if resource.meta else ""))


def _user_conflicts(data: Any, identity: StaffIdentity | None) -> None:
    others = StaffIdentity.objects.filter(tenant_id=_tenant())
    if identity is not None:
        others = others.exclude(pk=identity.pk)
    others = others.annotate(name_lower=Lower("user_name"))
    if others.filter(Q(name_lower=data.user_name.lower()) & Q(deprovisioned_at__isnull=True)).exists():
        raise UniquenessException(detail="Another user has this userName.")
    if others.filter(object_id=data.object_id.lower()).exists():
        raise UniquenessException(detail="Another user has this externalId.")


def _provision(tenant: str, data: Any, identity: StaffIdentity | None) -> StaffIdentity:
    try:
        return user_provision(tenant_id=tenant, data=data, identity=identity)
    except EmailTaken:
        raise UniquenessException(detail="Another account in Kontakt has this e-mail address.")


def _query(request: HttpRequest) -> dict[str, str]:
    """The query of a list: GET's parameters, or a POST /.search body."""
    if request.method == "GET":
        return {key: request.GET[key] for key in request.GET}
    search: Any = SearchRequest.model_validate(_body(request), scim_ctx=Context.SEARCH_REQUEST)
    query = {"filter": str(search.filter or "")}
    if search.start_index:
        query["startIndex"] = str(search.start_index)
    if search.count is not None:
        query["count"] = str(search.count)
    if search.attributes:
        query["attributes"] = ",".join(str(a) for a in search.attributes)
    if search.excluded_attributes:
        query["excludedAttributes"] = ",".join(str(a) for a in search.excluded_attributes)
    return query


@scim_view
def users_search(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        raise MethodNotAllowed(detail="Use POST to search.")
    return _users_list(request, _query(request))


@scim_view
def root_search(request: HttpRequest) -> HttpResponse:
    """POST /.search: users and groups together (RFC 7644 §3.4.3)."""
    if request.method != "POST":
        raise MethodNotAllowed(detail="Use POST to search.")
    query = _query(request)
    filter_text = query.get("filter", "")
    candidates: list[tuple[Any, list[Any]]] = [
        (resources.UserResource, [resources.user_resource(request, i) for i in _identities()]),
        (resources.GroupResource, [resources.group_resource(request, g) for g in _groups()]),
    ]
    found: list[Any] = []
    for model, items in candidates:
        expression: Any = None
        if filter_text:
            try:
                expression = ScimFilter[model](filter_text)  # type: ignore[valid-type]
            except (ValueError, SCIMException) as exc:
                raise InvalidFilterException(detail=f"The filter cannot be read: {exc}")
        found += [r for r in items if expression is None or expression.match(r)]
    start, count = _page(query)
    page = found[start - 1 : start - 1 + count]
    return _list(query, page, len(found), start, resources.UserResource | resources.GroupResource)


@scim_view
def groups_search(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        raise MethodNotAllowed(detail="Use POST to search.")
    return _groups_list(request, _query(request))


def _users_list(request: HttpRequest, query: dict[str, str]) -> HttpResponse:
    queryset, expression = _filtered(_identities(), query.get("filter", ""), resources.UserResource, USER_FIELDS)
    start, count = _page(query)
    if expression is None:
        total = queryset.count()
        page = [resources.user_resource(request, i) for i in queryset[start - 1 : start - 1 + count]]
    else:
        matched = [r for r in (resources.user_resource(request, i) for i in queryset) if expression.match(r)]
        total, page = len(matched), matched[start - 1 : start - 1 + count]
    return _list(query, page, total, start, resources.UserResource)


def _groups_list(request: HttpRequest, query: dict[str, str]) -> HttpResponse:
    queryset, expression = _filtered(_groups(), query.get("filter", ""), resources.GroupResource, GROUP_FIELDS)
    start, count = _page(query)
    with_members = _with_members(query) or expression is not None
    if expression is None:
        total = queryset.count()
        chosen = queryset[start - 1 : start - 1 + count]
        page = [resources.group_resource(request, g, with_members=with_members) for g in chosen]
    else:
        matched = [
            r
            for r in (resources.group_resource(request, g, with_members=True) for g in queryset)
            if expression.match(r)
        ]
        total, page = len(matched), matched[start - 1 : start - 1 + count]
    return _list(query, page, total, start, resources.GroupResource)


@scim_view
def users(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _users_list(request, _query(request))
    if request.method == "POST":
        resource = resources.UserResource.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        data = resources.provisioned_user(resource)
        tenant = _tenant()
        # Someone removed from provisioning earlier comes back to the same account.
        returning = (
            StaffIdentity.objects.select_related("user")
            .filter(tenant_id=tenant, object_id=data.object_id.lower(), deprovisioned_at__isnull=False)
            .first()
        )
        _user_conflicts(data, returning)
        identity = _provision(tenant, data, returning)
        log.info("SCIM: user %s provisioned", identity.pk)
        return _user_answer(request, identity, 201)
    raise MethodNotAllowed(detail="Method not allowed.")


@scim_view
def user(request: HttpRequest, resource_id: str) -> HttpResponse:
    identity = _identity(resource_id)
    if request.method == "GET":
        return _user_answer(request, identity)
    if request.method == "PUT":
        resource = resources.UserResource.model_validate(_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        data = resources.provisioned_user(resource)
        _user_conflicts(data, identity)
        return _user_answer(request, _provision(_tenant(), data, identity))
    if request.method == "PATCH":
        patch = PatchOp[resources.UserResource].model_validate(_body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        resource = resources.user_resource(request, identity)
        if patch.patch(resource):
            data = resources.provisioned_user(resource)
            _user_conflicts(data, identity)
            identity = _provision(_tenant(), data, identity)
            log.info("SCIM: user %s changed (active=%s)", identity.pk, data.active)
        return _user_answer(request, identity)
    if request.method == "DELETE":
        user_deprovision(identity=identity)
        log.info("SCIM: user %s removed from provisioning (deactivated)", identity.pk)
        return _answer(None, 204)
    raise MethodNotAllowed(detail="Method not allowed.")


# --------------------------------------------------------------------- groups

GROUP_FIELDS = {"displayname": "display_name", "externalid": "object_id", "id": "pk"}


def _groups() -> QuerySet[DirectoryGroup]:
    return DirectoryGroup.objects.filter(provisioned=True).order_by("display_name", "pk")


def _group(resource_id: str) -> DirectoryGroup:
    group = _groups().filter(pk=resource_id).first() if is_guid(resource_id) else None
    if group is None:
        raise NotFoundException(detail="No such group.")
    return group


def _with_members(query: Any) -> bool:
    attributes, excluded = _names(query, "attributes") or [], _names(query, "excludedAttributes") or []
    wanted = [name.lower() for name in attributes]
    return "members" not in [name.lower() for name in excluded] and (not wanted or "members" in wanted)


def _group_answer(request: HttpRequest, group: DirectoryGroup, status: int = 200) -> HttpResponse:
    resource = resources.group_resource(request, group, with_members=_with_members(request.GET))
    payload = resources.dump(
        resource, attributes=_names(request.GET, "attributes"), excluded=_names(request.GET, "excludedAttributes")
    )
    return _answer(payload, status, location=str(resource.meta.location if resource.meta else ""))


def _known_members(ids: list[str]) -> list[str]:
    valid = [i for i in ids if is_guid(i)]
    known = {str(pk) for pk in _identities().filter(pk__in=valid).values_list("pk", flat=True)}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise InvalidValueException(detail=f"No such user: {', '.join(unknown[:5])}")
    return ids


def _group_external_id(resource: Any) -> str:
    if not is_guid(resource.external_id):
        raise InvalidValueException(
            detail="externalId must be the group's Entra object id (Entra's default mapping sends it)"
        )
    return str(resource.external_id)


@scim_view
def groups(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _groups_list(request, _query(request))
    if request.method == "POST":
        resource = resources.GroupResource.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        object_id = _group_external_id(resource)
        if _groups().filter(object_id=object_id.lower()).exists():
            raise UniquenessException(detail="A group with this externalId exists.")
        group = group_provision(
            object_id=object_id,
            display_name=str(resource.display_name or ""),
            member_ids=_known_members(resources.member_ids(resource)),
        )
        return _group_answer(request, group, 201)
    raise MethodNotAllowed(detail="Method not allowed.")


@scim_view
def group(request: HttpRequest, resource_id: str) -> HttpResponse:
    group = _group(resource_id)
    if request.method == "GET":
        return _group_answer(request, group)
    if request.method == "PUT":
        resource = resources.GroupResource.model_validate(_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        group = group_provision(
            object_id=_group_external_id(resource),
            display_name=str(resource.display_name or ""),
            member_ids=_known_members(resources.member_ids(resource)),
            group=group,
        )
        return _group_answer(request, group)
    if request.method == "PATCH":
        patch = PatchOp[resources.GroupResource].model_validate(_body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        resource = resources.group_resource(request, group)
        before = set(resources.member_ids(resource))
        if patch.patch(resource):
            after = set(_known_members(resources.member_ids(resource)))
            group = group_provision(
                object_id=_group_external_id(resource),
                display_name=str(resource.display_name or ""),
                member_ids=None,
                group=group,
            )
            group_members_change(group=group, add=after - before, remove=before - after)
        return _group_answer(request, group)
    if request.method == "DELETE":
        group_deprovision(group=group)
        return _answer(None, 204)
    raise MethodNotAllowed(detail="Method not allowed.")


@scim_view
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise NotFoundException(detail="No such endpoint.")
