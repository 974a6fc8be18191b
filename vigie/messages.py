"""Messages to the public: template filling, the EXERCICE prefix, and the workflow rules.

draft (volunteer+) -> approved (coordinator+) -> sent (coordinator+ records each channel and
time; Vigie never posts). Editing an approved message sends it back to draft; a sent message
is never edited (write a new one). During an exercise every message, title and body, starts
with "EXERCICE": enforced here, on every write, whatever the page does. Roles are checked
here too, so a forged button press cannot approve or send.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from vigie.auth import User
from vigie.message_templates import BY_ID, DEFAULTS, Template
from vigie.models import iso, utc_now
from vigie.store import Store
from vigie.ui.safe import clean

EXERCISE_PREFIX = "EXERCICE"
KINDS = ("safety", "solidarity", "debunk", "info")
STATUSES = ("draft", "approved", "sent")
CHANNELS = ("X", "Mastodon", "Bluesky", "Facebook", "Instagram", "SMS", "FR-Alert",
            "Site web", "Radio", "Autre")
CAP_URGENCY = ("Immediate", "Expected", "Future", "Past", "Unknown")
CAP_SEVERITY = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CAP_CERTAINTY = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
LOCAL_TZ = ZoneInfo("Europe/Paris")
_PREFIX_RE = re.compile(r"^\s*EXERCICE\b", re.IGNORECASE)
MAX_BODY = 5000
MAX_TITLE = 200


class MessageError(Exception):
    """A workflow rule refused the action. `key` names the reason for the UI catalogue."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key, self.params = key, params
        super().__init__(f"{key} {params}" if params else key)


# -- text ------------------------------------------------------------------------------


def with_exercise_prefix(text: str, exercise: bool) -> str:
    """'EXERCICE — ' in front of the text during an exercise (once, never doubled)."""
    text = (text or "").strip()
    if not exercise or _PREFIX_RE.match(text):
        return text
    return f"{EXERCISE_PREFIX} — {text}"


def placeholder_names(text: str) -> list[str]:
    """Placeholders a text holds, in order, each once."""
    names: list[str] = []
    for _lit, name, _spec, _conv in string.Formatter().parse(text or ""):
        if name and name not in names:
            names.append(name)
    return names


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def unfilled(text: str) -> list[str]:
    return list(dict.fromkeys(_PLACEHOLDER.findall(text or "")))


def fill(text: str, values: dict[str, Any]) -> str:
    """Replace each known `{name}` by its value; unknown or empty ones stay visible."""
    def repl(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return str(value).strip() if value not in (None, "") else match.group(0)

    return _PLACEHOLDER.sub(repl, text or "")


def local_hour(now: datetime | None = None) -> str:
    return (now or utc_now()).astimezone(LOCAL_TZ).strftime("%H h %M")


def local_date(now: datetime | None = None) -> str:
    return (now or utc_now()).astimezone(LOCAL_TZ).strftime("%d/%m/%Y")


# -- what fills placeholders -------------------------------------------------------------


@dataclass
class Suggestions:
    """Values Vigie knows for placeholders, for the page's pickers."""

    roads: list[dict[str, Any]]
    communes: list[str]
    shelters: list[str]
    claims: list[dict[str, Any]]


def suggestions(store: Store, since: str | None = None) -> Suggestions:
    roads = store.placeholder_roads()
    communes: list[str] = []
    for name in [*(r["commune"] for r in roads), *store.placeholder_places(since)]:
        if name and name not in communes:
            communes.append(name)
    shelters = [", ".join(p for p in (s["name"], s["address"], s["commune"]) if p)
                for s in store.placeholder_shelters()]
    return Suggestions(roads, communes, shelters, store.debunkable_claims())


def road_label(road: dict[str, Any]) -> str:
    parts = [road.get("road") or "?"]
    if road.get("commune"):
        parts.append(f"à {road['commune']}")
    return " ".join(parts)


def auto_values(*, road: dict[str, Any] | None = None, claim: dict[str, Any] | None = None,
                now: datetime | None = None) -> dict[str, str]:
    """Placeholder values from the clock, a chosen road event and a chosen claim."""
    values = {"heure": local_hour(now), "date": local_date(now), **DEFAULTS}
    if road:
        values["route"] = road.get("road") or ""
        values["commune"] = road.get("commune") or ""
        values["deviation"] = road.get("detour") or "aucune déviation communiquée"
    if claim:
        values["affirmation"] = claim.get("title") or ""
        values["verdict"] = claim.get("public_message") or claim.get("verdict_note") or ""
    return {k: v for k, v in values.items() if v}


def template_for_claim(claim: dict[str, Any]) -> Template:
    return BY_ID["debunk_misleading" if claim.get("status") == "misleading" else "debunk_false"]


# -- workflow ------------------------------------------------------------------------------


def _need(user: User | None, role: str) -> User:
    if user is None or not user.can(role):
        raise PermissionError(role)
    return user


def _exercise_now(store: Store) -> tuple[int | None, bool]:
    incident = store.active_incident()
    return (incident["id"], bool(incident["exercise"])) if incident else (None, False)


def _clean_text(text: str | None, limit: int) -> str:
    return clean(text or "").strip()[:limit]


def draft(store: Store, user: User | None, template_id: str, values: dict[str, Any], *,
          claim_id: int | None = None, area: str | None = None) -> int:
    """A new draft from a template; placeholders left empty stay visible in the text."""
    user = _need(user, "volunteer")
    template = BY_ID.get(template_id)
    if template is None:
        raise MessageError("unknown_template", template=template_id)
    if template.kind == "debunk":
        if claim_id is None or store.get_claim_row(claim_id) is None:
            raise MessageError("debunk_needs_claim")
        if store.get_claim_row(claim_id)["status"] not in ("false", "misleading"):
            raise MessageError("claim_not_debunked")
    incident_id, exercise = _exercise_now(store)
    title = with_exercise_prefix(_clean_text(fill(template.title, values), MAX_TITLE), exercise)
    body = with_exercise_prefix(_clean_text(fill(template.body, values), MAX_BODY), exercise)
    return store.create_message(
        {"kind": template.kind, "hazard": template.hazard, "template": template.id,
         "title": title, "body": body,
         "area": _clean_text(area or values.get("commune"), 300) or None,
         "claim_id": claim_id, "cap_urgency": template.urgency,
         "cap_severity": template.severity, "cap_certainty": template.certainty},
        actor=user.username, incident_id=incident_id, exercise=exercise)


def _get(store: Store, message_id: int) -> dict[str, Any]:
    message = store.get_message(message_id)
    if message is None:
        raise MessageError("not_found", id=message_id)
    return message


def edit(store: Store, user: User | None, message_id: int, version: int, *, title: str,
         body: str, area: str | None = None, cap: dict[str, str] | None = None
         ) -> dict[str, Any]:
    """Save a volunteer's edit. Stale edits raise StaleEdit ("modifié par X à T")."""
    user = _need(user, "volunteer")
    message = _get(store, message_id)
    if message["status"] == "sent":
        raise MessageError("sent_locked")
    exercise = message["exercise"] or _exercise_now(store)[1]
    changes: dict[str, Any] = {
        "title": with_exercise_prefix(_clean_text(title, MAX_TITLE), exercise),
        "body": with_exercise_prefix(_clean_text(body, MAX_BODY), exercise),
        "area": _clean_text(area, 300) or None,
        "exercise": int(exercise),
    }
    if not changes["body"] or changes["body"] == with_exercise_prefix("", exercise):
        raise MessageError("empty")
    for key, allowed in (("cap_urgency", CAP_URGENCY), ("cap_severity", CAP_SEVERITY),
                         ("cap_certainty", CAP_CERTAINTY)):
        value = (cap or {}).get(key)
        if value is not None:
            if value not in allowed:
                raise MessageError("bad_cap_value", field=key, value=value)
            changes[key] = value
    if message["status"] == "approved":
        changes.update(status="draft", approved_at=None, approved_by=None)
    return store.versioned_update("messages", message_id, version, changes, user.username,
                                  action="edit")


def approve(store: Store, user: User | None, message_id: int, version: int) -> dict[str, Any]:
    user = _need(user, "coordinator")
    message = _get(store, message_id)
    if message["status"] != "draft":
        raise MessageError("not_draft")
    missing = unfilled(message["body"]) + unfilled(message["title"] or "")
    if missing:
        raise MessageError("placeholders", names=", ".join(dict.fromkeys(missing)))
    changes: dict[str, Any] = {"status": "approved", "approved_at": store.now(),
                               "approved_by": user.username}
    exercise = message["exercise"] or _exercise_now(store)[1]
    if exercise:  # an exercise that started after the draft: the prefix goes on now
        changes.update(exercise=1, body=with_exercise_prefix(message["body"], True),
                       title=with_exercise_prefix(message["title"] or "", True))
    with store.write():
        row = store.versioned_update("messages", message_id, version, changes, user.username,
                                     action="approve")
        store.add_log("vigie", f"Message n°{message_id} « {row['title']} » approuvé par "
                      f"{user.username}.", kind="system", entity="messages",
                      entity_id=message_id, incident_id=message["incident_id"])
    return row


def record_send(store: Store, user: User | None, message_id: int, version: int, *,
                channel: str, sent_at: str | None = None, note: str | None = None
                ) -> dict[str, Any]:
    """Record that an approved message went out on `channel` at `sent_at` (default now)."""
    user = _need(user, "coordinator")
    message = _get(store, message_id)
    if message["status"] not in ("approved", "sent"):
        raise MessageError("not_approved")
    if channel not in CHANNELS:
        raise MessageError("bad_channel", channel=channel)
    when = sent_at or store.now()
    if when > iso(utc_now()):
        raise MessageError("future_send")
    with store.write():
        row = store.record_message_send(message_id, version, channel=channel, sent_at=when,
                                        actor=user.username,
                                        note=_clean_text(note, 500) or None)
        store.add_log("vigie", f"Message n°{message_id} « {row['title']} » diffusé sur "
                      f"{channel} ({user.username}).", kind="action", entity="messages",
                      entity_id=message_id, incident_id=message["incident_id"])
    return row


def local_to_iso(day: Any, time: Any) -> str:
    """A date and a time picked in the crisis cell's zone, as ISO UTC."""
    return iso(datetime.combine(day, time).replace(tzinfo=LOCAL_TZ))
