"""Field checks for routes, POIs, users and race plans; each problem names its field so a form can mark it."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from routes.core.roles import ROLES
from routes.core.textsafety import strip_bidi
from routes.store.errors import ValidationError, first_of
from routes.store.records import DIFFICULTIES, POI_CATEGORIES, STATUSES, SURFACES

#: Longest name (a full sentence would not fit on a map label or a bike computer anyway).
NAME_MAX_CHARS = 120
#: Longest description: a few paragraphs.
DESC_MAX_CHARS = 5000
SEASON_MAX_CHARS = 120
TAG_MAX_CHARS = 30
TAGS_MAX = 12
HOURS_MAX_CHARS = 200
PHONE_MAX_CHARS = 40
URL_MAX_CHARS = 500
NOTE_MAX_CHARS = 1000
FILENAME_MAX_CHARS = 255
#: Longest derivation note of a revision ("converted from FIT; converted from GCJ-02; elevation filled from DEM").
DERIVATION_MAX_CHARS = 200
#: Shortest password accepted for an editor account.
PASSWORD_MIN_CHARS = 10
#: Longest password accepted, at creation and at sign-in alike (a longer one could be set but never typed in again).
#: argon2 hashes any length, but a megabyte "password" per guess would be a cheap way to load the server.
PASSWORD_MAX_CHARS = 200

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MIN_CHARS, SLUG_MAX_CHARS = 2, 60
USER_RE = re.compile(r"^[A-Za-z0-9._-]{2,40}$")
PHONE_RE = re.compile(r"^[0-9 +()\-]*$")
# C0 controls other than tab/newline/CR, DEL and C1: invisible in a form, and PostgreSQL refuses NUL outright.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

ROUTE_FIELDS = (
    "name_zh", "name_en", "desc_zh", "desc_en", "difficulty", "surface", "tags", "season", "status", "illustrative",
    "sort_order", "facts",
)
#: Catalogue position of a route nobody has placed: after every route an editor put in order (lower comes first).
DEFAULT_SORT_ORDER = 100
SORT_ORDER_MAX = 9999
ROUTE_DEFAULTS: dict[str, Any] = {
    "desc_zh": "", "desc_en": "", "difficulty": "moderate", "surface": "paved", "tags": (), "season": "",
    "status": "draft", "illustrative": False, "sort_order": DEFAULT_SORT_ORDER, "facts": None,
}
POI_FIELDS = (
    "name_zh", "name_en", "desc_zh", "desc_en", "category", "lat", "lon", "hours", "hours_en", "phone", "url",
    "status", "illustrative", "radius_m", "area",
)
#: The fields that make a POI an area; a revision without them was a point.
POI_EXTENT_FIELDS = ("radius_m", "area")
POI_DEFAULTS: dict[str, Any] = {
    "desc_zh": "", "desc_en": "", "hours": "", "hours_en": "", "phone": "", "url": "", "status": "published",
    "illustrative": False, "radius_m": None, "area": None,
}


def _text(field: str, value: Any, limit: int, *, required: bool = False, multiline: bool = False) -> str:
    text = strip_bidi("" if value is None else str(value))  # no right-to-left override can spoof a name
    text = text.strip() if multiline else " ".join(text.split())
    if required and not text:
        raise ValidationError("required", field=field)
    if len(text) > limit:
        raise ValidationError("too_long", field=field, limit=limit)
    if _CONTROL_RE.search(text):
        raise ValidationError("bad_chars", field=field)
    return text


def _choice(field: str, value: Any, choices: tuple[str, ...]) -> str:
    text = "" if value is None else str(value).strip()
    if text not in choices:
        raise ValidationError("choice", field=field, value=text, choices=", ".join(choices))
    return text


def _bool(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "false", "0", "no", ""):
        return value.strip().lower() in ("true", "1", "yes")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValidationError("boolean", field=field)


def _tags(field: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [t for t in re.split(r"[,，;；]", value)]
    if not isinstance(value, (list, tuple)):
        raise ValidationError("tags", field=field)
    out: list[str] = []
    for item in value:
        tag = _text(field, item, TAG_MAX_CHARS)
        if tag and tag not in out:
            out.append(tag)
    if len(out) > TAGS_MAX:
        raise ValidationError("too_long", field=field, limit=TAGS_MAX)
    return tuple(out)


def _sort_order(field: str, value: Any) -> int:
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValidationError("sort_order", field=field) from None
    if isinstance(value, bool) or not number.is_integer() or not 0 <= number <= SORT_ORDER_MAX:
        raise ValidationError("sort_order", field=field)
    return int(number)


def _coord(field: str, value: Any, limit: float) -> float:
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValidationError("number", field=field, value=str(value)) from None
    if not math.isfinite(number) or abs(number) > limit:
        raise ValidationError("latitude" if field == "lat" else "longitude", field=field)
    return number


def _url(field: str, value: Any) -> str:
    text = _text(field, value, URL_MAX_CHARS)
    # Only web links: a javascript: or data: link in a popup would run in the visitor's browser.
    if text and not re.match(r"^https?://[^\s]+$", text, flags=re.IGNORECASE):
        raise ValidationError("url", field=field)
    return text


def _radius(field: str, value: Any) -> float | None:
    """None (a point) for nothing, "" or 0; else metres within (0, RADIUS_MAX_M]."""
    from routes.analysis.areas import RADIUS_MAX_M

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValidationError("number", field=field, value=str(value)) from None
    if not math.isfinite(number) or number < 0 or number > RADIUS_MAX_M:
        raise ValidationError("radius", field=field, limit=RADIUS_MAX_M)
    return round(number, 1) or None


def _area(field: str, value: Any) -> dict[str, Any] | None:
    from routes.analysis.areas import AreaError, AreaTooDetailed, normalise_area

    try:
        return normalise_area(value)
    except AreaTooDetailed as exc:
        raise ValidationError("area_vertices", field=field, count=exc.count, limit=exc.limit) from None
    except AreaError as exc:
        raise ValidationError("area", field=field, detail=str(exc)) from None


def _phone(field: str, value: Any) -> str:
    text = _text(field, value, PHONE_MAX_CHARS)
    if not PHONE_RE.match(text):
        raise ValidationError("phone", field=field)
    return text


_ROUTE_CHECKS = {
    "name_zh": lambda v: _text("name_zh", v, NAME_MAX_CHARS, required=True),
    "name_en": lambda v: _text("name_en", v, NAME_MAX_CHARS, required=True),
    "desc_zh": lambda v: _text("desc_zh", v, DESC_MAX_CHARS, multiline=True),
    "desc_en": lambda v: _text("desc_en", v, DESC_MAX_CHARS, multiline=True),
    "difficulty": lambda v: _choice("difficulty", v, DIFFICULTIES),
    "surface": lambda v: _choice("surface", v, SURFACES),
    "tags": lambda v: _tags("tags", v),
    "season": lambda v: _text("season", v, SEASON_MAX_CHARS),
    "status": lambda v: _choice("status", v, STATUSES),
    "illustrative": lambda v: _bool("illustrative", v),
    "sort_order": lambda v: _sort_order("sort_order", v),
    "facts": lambda v: check_facts(v),
}

_POI_CHECKS = {
    "name_zh": lambda v: _text("name_zh", v, NAME_MAX_CHARS, required=True),
    "name_en": lambda v: _text("name_en", v, NAME_MAX_CHARS, required=True),
    "desc_zh": lambda v: _text("desc_zh", v, DESC_MAX_CHARS, multiline=True),
    "desc_en": lambda v: _text("desc_en", v, DESC_MAX_CHARS, multiline=True),
    "category": lambda v: _choice("category", v, POI_CATEGORIES),
    "lat": lambda v: _coord("lat", v, 90.0),
    "lon": lambda v: _coord("lon", v, 180.0),
    "hours": lambda v: _text("hours", v, HOURS_MAX_CHARS),
    "hours_en": lambda v: _text("hours_en", v, HOURS_MAX_CHARS),
    "phone": lambda v: _phone("phone", v),
    "url": lambda v: _url("url", v),
    "status": lambda v: _choice("status", v, STATUSES),
    "illustrative": lambda v: _bool("illustrative", v),
    "radius_m": lambda v: _radius("radius_m", v),
    "area": lambda v: _area("area", v),
}


def _check(fields: Mapping[str, Any], checks: Mapping[str, Any], *, required: tuple[str, ...]) -> dict[str, Any]:
    errors: dict[str, ValidationError] = {}
    clean: dict[str, Any] = {}
    for key in fields:
        if key not in checks:
            errors[key] = ValidationError("unknown_field", field=key)
    for key in required:
        if key not in fields:
            errors.setdefault(key, ValidationError("required", field=key))
    for key, value in fields.items():
        if key in checks and key not in errors:
            try:
                clean[key] = checks[key](value)
            except ValidationError as exc:
                errors[key] = exc
    if errors:
        raise first_of(errors)
    return clean


def check_facts(value: Any, *, route_length_km: float | None = None) -> dict[str, Any] | None:
    """Route facts as the store keeps them: the canonical JSON shape, or None when there is nothing to keep.

    Accepts the JSON shape or a :class:`RouteFacts`; a problem raises :class:`FactsError` (one line in both
    languages). The stretches are bounded by the route only when ``route_length_km`` is given (the store passes the
    current track's length when it saves).
    """
    from routes.core.facts import RouteFacts, parse_facts

    if isinstance(value, RouteFacts):
        value = value.to_json()
    facts = parse_facts(value, route_length_km=route_length_km)
    return facts.to_json() if facts else None


def check_route_fields(fields: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Cleaned route fields; for a new route (``partial=False``) the names are required and defaults fill the rest."""
    if partial:
        return _check(fields, _ROUTE_CHECKS, required=())
    return _check({**ROUTE_DEFAULTS, **fields}, _ROUTE_CHECKS, required=("name_zh", "name_en"))


def check_poi_fields(fields: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Cleaned POI fields; a new POI needs names, category and position."""
    if partial:
        clean = _check(fields, _POI_CHECKS, required=())
    else:
        clean = _check({**POI_DEFAULTS, **fields}, _POI_CHECKS, required=("name_zh", "name_en", "category", "lat", "lon"))
    if clean.get("lat") == 0.0 and clean.get("lon") == 0.0:
        raise ValidationError("null_island", field="lat")
    if clean.get("radius_m") and clean.get("area"):
        raise ValidationError("radius_and_area", field="radius_m")
    return clean


def check_slug(slug: Any, *, field: str = "slug") -> str:
    text = "" if slug is None else str(slug).strip()
    if not (SLUG_MIN_CHARS <= len(text) <= SLUG_MAX_CHARS) or not SLUG_RE.match(text):
        raise ValidationError("slug", field=field)
    return text


def check_user_name(name: Any) -> str:
    text = "" if name is None else str(name).strip()
    if not USER_RE.match(text):
        raise ValidationError("user_name", field="name")
    return text


def check_role(role: Any) -> str:
    if role not in ROLES:
        raise ValidationError("role", field="role")
    return str(role)


def check_password(password: Any) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_CHARS:
        raise ValidationError("password_short", field="password", limit=PASSWORD_MIN_CHARS)
    if len(password) > PASSWORD_MAX_CHARS:
        raise ValidationError("password_long", field="password", limit=PASSWORD_MAX_CHARS)
    if _CONTROL_RE.search(password):
        raise ValidationError("bad_chars", field="password")
    return password


def check_note(note: Any) -> str:
    return _text("note", note, NOTE_MAX_CHARS, multiline=True)


def check_derivation(derivation: Any) -> str:
    return _text("derivation", derivation, DERIVATION_MAX_CHARS)


def check_photo_credit(credit: Any) -> str:
    """A photo's credit line: one line, no control characters, at most PHOTO_CREDIT_MAX_CHARS."""
    from routes.store.photos import PHOTO_CREDIT_MAX_CHARS

    return _text("credit", credit, PHOTO_CREDIT_MAX_CHARS)


def check_filename(filename: Any) -> str:
    # Keep only the last path component: a browser may send "C:\\fakepath\\x.gpx".
    text = re.split(r"[\\/]", "" if filename is None else str(filename))[-1]
    return _text("filename", text, FILENAME_MAX_CHARS) or "track.gpx"
