"""French words for the codes a situation report prints (the report is written in French)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Paris")

CATEGORIES = {
    "help_request": "Demandes d'aide", "missing_or_found": "Disparus / retrouvés",
    "casualties": "Victimes", "infrastructure": "Réseaux, infrastructures",
    "roads_traffic": "Routes, circulation", "evacuation_shelter": "Évacuation, hébergement",
    "caution_advice": "Consignes", "solidarity": "Solidarité", "sympathy": "Soutien",
    "other_relevant": "Autres informations utiles", "not_relevant": "Hors sujet",
}
PEOPLE_KINDS = {"distress": "Personnes en détresse", "missing": "Personnes disparues"}
PEOPLE_STATUSES = {"reported": "signalées", "escalated": "transmises aux secours",
                   "located": "localisées", "resolved": "closes"}
CLAIM_STATUSES = {"to_verify": "à vérifier", "investigating": "en cours de vérification",
                  "confirmed": "confirmées", "false": "fausses", "misleading": "trompeuses",
                  "unverifiable": "invérifiables"}
VERDICTS = {"confirmed": "Vrai", "false": "Faux", "misleading": "Trompeur"}
ROAD_TYPES = {"closure": "Fermeture", "restriction": "Restriction", "works": "Travaux",
              "incident": "Incident", "detour": "Déviation"}
SEVERITIES = {"Extreme": "extrême", "Severe": "sévère", "Moderate": "modérée",
              "Minor": "mineure", "Unknown": "inconnue"}
EVENT_KINDS = {"decision": "Décision", "action": "Action", "alert": "Alerte",
               "closure": "Route coupée", "reopening": "Route rouverte",
               "verdict": "Vérification", "message": "Message diffusé"}


def local(iso_time: str | None, *, with_date: bool = True) -> str:
    """'2026-11-25T17:05:00Z' -> '25/11/2026 18 h 05' in Paris time."""
    if not iso_time:
        return "—"
    try:
        dt = datetime.fromisoformat(iso_time.replace("Z", "+00:00")).astimezone(LOCAL_TZ)
    except ValueError:
        return iso_time
    return dt.strftime("%d/%m/%Y %H h %M" if with_date else "%H h %M")


def short(iso_time: str | None) -> str:
    """'25/11 18 h 05' in Paris time, for table cells."""
    if not iso_time:
        return "—"
    try:
        dt = datetime.fromisoformat(iso_time.replace("Z", "+00:00")).astimezone(LOCAL_TZ)
    except ValueError:
        return iso_time
    return dt.strftime("%d/%m %H h %M")


def number(value: int | float) -> str:
    """French thousands separator (narrow no-break space)."""
    return f"{value:,}".replace(",", "\u202f")
