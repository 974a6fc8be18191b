"""An approved message as a CAP 1.2 alert (OASIS Common Alerting Protocol, 2010).

Elements are written in the order the CAP 1.2 schema requires. Times carry an explicit
offset (CAP forbids "Z"). During an exercise `status` is `Exercise`, the note says so and the
texts start with EXERCICE, so no system downstream can take it for a real alert.
"""

from __future__ import annotations

import csv
import os
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from vigie.exports.datasets import GEO_DIR
from vigie.messages import with_exercise_prefix

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
DEFAULT_SENDER = "vigie@localhost"
LOCAL_TZ = ZoneInfo("Europe/Paris")

# hazard -> (CAP category, event name in French)
HAZARD_EVENTS = {
    "flood": ("Met", "Inondation"),
    "storm": ("Met", "Vents violents et orages"),
    "heatwave": ("Met", "Canicule"),
    "wildfire": ("Fire", "Feu de forêt"),
    "industrial": ("CBRNE", "Accident industriel"),
}
KIND_EVENTS = {
    "solidarity": ("Other", "Appel à la solidarité"),
    "debunk": ("Other", "Rectification d'une fausse information"),
    "info": ("Other", "Information de la population"),
    "safety": ("Safety", "Consignes de sécurité"),
}
RESPONSE_TYPES = {"flood": "Shelter", "storm": "Shelter", "heatwave": "Prepare",
                  "wildfire": "Shelter", "industrial": "Shelter"}
_BAD_ID_CHARS = re.compile(r"[\s,<&]")
_BULLET = re.compile(r"^\s*[•\-–*]\s*")


def cap_time(value: str) -> str:
    """ISO UTC 'Z' time -> CAP dateTime with an explicit offset, in Paris time."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def sender() -> str:
    return _BAD_ID_CHARS.sub("", os.environ.get("VIGIE_CAP_SENDER") or DEFAULT_SENDER)


def identifier(message: dict[str, Any]) -> str:
    """Unique per sender: the message id and the version that was approved."""
    return f"vigie-message-{message['id']}-v{message['version']}"


def instructions(body: str) -> str | None:
    """The bullet lines of a message: what the public must do (CAP `instruction`)."""
    lines = [_BULLET.sub("", line).strip() for line in body.splitlines()
             if _BULLET.match(line)]
    return "\n".join(lines) or None


def _q(name: str) -> str:
    return f"{{{CAP_NS}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None) -> ET.Element | None:
    if text is None or text == "":
        return None
    el = ET.SubElement(parent, _q(name))
    el.text = text
    return el


@lru_cache(maxsize=1)
def _communes() -> dict[tuple[str, str], str]:
    """(département, folded name) -> INSEE code, for the area's geocodes."""
    out: dict[tuple[str, str], str] = {}
    with (GEO_DIR / "communes_france_2024.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["commune_type"] == "COM":
                for name in (r["commune"], r["commune_article"]):
                    out.setdefault((r["insee_dep"], name.casefold()), r["insee_com"])
    return out


def geocodes(area: str | None, departements: list[str]) -> list[tuple[str, str]]:
    """INSEE codes of the communes named in a message's area ("Dijon, Talant")."""
    found: list[tuple[str, str]] = []
    for name in re.split(r"[,;]", area or ""):
        key = name.strip().casefold()
        for dep in departements:
            code = _communes().get((dep, key))
            if code and ("INSEE", code) not in found:
                found.append(("INSEE", code))
                break
    return found


def to_cap(message: dict[str, Any], *, area_default: str, exercise: bool,
           geocodes: list[tuple[str, str]] = ()) -> bytes:
    """CAP 1.2 XML (UTF-8) for an approved or sent message."""
    if message["status"] not in ("approved", "sent"):
        raise ValueError("only an approved message exports as CAP")
    exercise = exercise or bool(message.get("exercise"))
    category, event = HAZARD_EVENTS.get(message.get("hazard") or "",
                                        KIND_EVENTS.get(message["kind"], ("Other", "Message")))
    sent = message.get("sent_at") or message.get("approved_at") or message["created_at"]
    ET.register_namespace("", CAP_NS)
    alert = ET.Element(_q("alert"))
    _sub(alert, "identifier", identifier(message))
    _sub(alert, "sender", sender())
    _sub(alert, "sent", cap_time(sent))
    _sub(alert, "status", "Exercise" if exercise else "Actual")
    _sub(alert, "msgType", "Alert")
    _sub(alert, "source", "Vigie")
    _sub(alert, "scope", "Public")
    if exercise:
        _sub(alert, "note", "EXERCICE — message d'exercice, ne pas diffuser comme réel.")
    info = ET.SubElement(alert, _q("info"))
    _sub(info, "language", "fr-FR")
    _sub(info, "category", category)
    _sub(info, "event", with_exercise_prefix(event, exercise))
    if message["kind"] == "safety":
        _sub(info, "responseType", RESPONSE_TYPES.get(message.get("hazard") or "", "Monitor"))
    _sub(info, "urgency", message.get("cap_urgency") or "Unknown")
    _sub(info, "severity", message.get("cap_severity") or "Unknown")
    _sub(info, "certainty", message.get("cap_certainty") or "Unknown")
    _sub(info, "senderName", "Vigie — cellule de crise")
    _sub(info, "headline", with_exercise_prefix(message.get("title") or event, exercise)[:160])
    body = with_exercise_prefix(message["body"], exercise)
    _sub(info, "description", body)
    steps = instructions(message["body"])
    if steps:
        _sub(info, "instruction", with_exercise_prefix(steps, exercise))
    area = ET.SubElement(info, _q("area"))
    _sub(area, "areaDesc", message.get("area") or area_default)
    for name, value in geocodes:
        geocode = ET.SubElement(area, _q("geocode"))
        _sub(geocode, "valueName", name)
        _sub(geocode, "value", value)
    ET.indent(alert)
    return ET.tostring(alert, encoding="utf-8", xml_declaration=True)
