"""A source's health in words a volunteer understands: OK, late, failing, disabled.

Pure functions over a `sources` row, shared by the Admin page (which must judge
lateness even when the collectors process is down) and by the runner (which writes a
main-courante line when a source falls late and when it recovers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from vigie.i18n import Catalog

LATE_PERIODS = 3      # late: no success for this many periods...
LATE_FLOOR = 30.0     # ...and never sooner than this many seconds (fast replay sources)
LOCAL = ZoneInfo("Europe/Paris")

_ = Catalog({
    "ok": ("OK", "OK"),
    "late": ("En retard", "Late"),
    "failing": ("En échec", "Failing"),
    "disabled": ("Désactivée", "Disabled"),
    "waiting": ("En attente du premier relevé", "Waiting for its first run"),
    "last_ok": ("Dernier relevé réussi : {ago} ({at})", "Last successful run: {ago} ({at})"),
    "never_ok": ("Aucun relevé réussi pour l'instant", "No successful run yet"),
    "last_error": ("Dernière erreur {ago} ({at}) : {msg}", "Last error {ago} ({at}): {msg}"),
    "warning": ("Avertissement {ago} : {msg}", "Warning {ago}: {msg}"),
    "failures_1": ("1 échec au dernier relevé", "1 failed run"),
    "failures_n": ("{n} échecs consécutifs", "{n} consecutive failed runs"),
    "items": ("Dernier relevé : {new} élément(s) nouveau(x), {rejected} ignoré(s) ; "
              "{total} au total", "Last run: {new} new item(s), {rejected} skipped; "
              "{total} in total"),
    "newest": ("Élément le plus récent : publié {ago}", "Newest item: published {ago}"),
    "next": ("Prochain relevé : {when}", "Next run: {when}"),
    "next_now": ("dès que possible", "as soon as possible"),
    "requested": ("Relevé demandé : au prochain tour de la collecte",
                  "Run requested: at the collectors' next round"),
    "late_line": ("En retard : aucun relevé réussi depuis {for_} (période : {every})",
                  "Late: no successful run for {for_} (period: {every})"),
    "ago": ("il y a {d}", "{d} ago"),
    "in": ("dans {d}", "in {d}"),
    "just_now": ("à l'instant", "just now"),
    "s": ("{n} s", "{n} s"),
    "min": ("{n} min", "{n} min"),
    "h": ("{h} h {m:02d}", "{h} h {m:02d}"),
    "d": ("{n} j", "{n} d"),
    "log_late": ("Source « {name} » en retard : aucun relevé réussi depuis {for_} "
                 "(période : {every}).", "Source '{name}' is late: no successful run for "
                 "{for_} (period: {every})."),
    "log_late_error": (" Dernière erreur : {msg}", " Last error: {msg}"),
    "log_back": ("Source « {name} » de nouveau à jour.", "Source '{name}' is up to date again."),
})

@dataclass
class Health:
    state: str                      # ok / late / failing / disabled / waiting
    label: str
    lines: list[str] = field(default_factory=list)


STATES = ("failing", "late", "waiting", "ok", "disabled")  # most urgent first


def state_label(state: str, lang: str | None = None) -> str:
    return _(state, lang)


def parse_iso(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def duration(seconds: float, lang: str | None = None) -> str:
    """3 s, 12 min, 1 h 05, 2 j."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return _("s", lang, n=seconds)
    if seconds < 3600:
        return _("min", lang, n=seconds // 60)
    if seconds < 86400:
        return _("h", lang, h=seconds // 3600, m=(seconds % 3600) // 60)
    return _("d", lang, n=seconds // 86400)


def ago(when: datetime, now: datetime, lang: str | None = None) -> str:
    seconds = (now - when).total_seconds()
    if seconds < 2:
        return _("just_now", lang)
    return _("ago", lang, d=duration(seconds, lang))


def clock(when: datetime, now: datetime) -> str:
    """Local (Paris) wall-clock time, with the day when it is not today's."""
    local = when.astimezone(LOCAL)
    if local.date() != now.astimezone(LOCAL).date():
        return local.strftime("%d/%m %H:%M")
    return local.strftime("%H:%M:%S")


def late_after(row: dict[str, Any]) -> float:
    """Seconds without success after which the source is late."""
    return max(LATE_PERIODS * float(row.get("every") or 60), LATE_FLOOR)


def late_for(row: dict[str, Any], now: datetime) -> float | None:
    """Seconds since the last success (or since the source appeared) when the source is
    late, else None. A disabled source is never late."""
    if not row.get("enabled"):
        return None
    since = (parse_iso(row.get("last_ok_at")) or parse_iso(row.get("created_at"))
             or parse_iso(row.get("updated_at")))
    if since is None:
        return None
    elapsed = (now - since).total_seconds()
    return elapsed if elapsed > late_after(row) else None


def assess(row: dict[str, Any], now: datetime, lang: str | None = None) -> Health:
    """The state and the sentences the Admin page shows for one source."""
    failures = int(row.get("consecutive_failures") or 0)
    late = late_for(row, now)
    if not row.get("enabled"):
        state = "disabled"
    elif failures and row.get("last_error_code") != "warning":
        state = "failing"
    elif late is not None:
        state = "late"
    elif not row.get("last_run_at"):
        state = "waiting"
    else:
        state = "ok"
    return Health(state, _(state, lang), _lines(row, now, late, failures, lang))


def _lines(row: dict[str, Any], now: datetime, late: float | None, failures: int,
           lang: str | None) -> list[str]:
    lines = []
    ok_at = parse_iso(row.get("last_ok_at"))
    if ok_at:
        lines.append(_("last_ok", lang, ago=ago(ok_at, now, lang), at=clock(ok_at, now)))
    else:
        lines.append(_("never_ok", lang))
    if late is not None:
        lines.append(_("late_line", lang, for_=duration(late, lang),
                       every=duration(float(row.get("every") or 60), lang)))
    error_at = parse_iso(row.get("last_error_at"))
    if row.get("last_error") and error_at:
        if row.get("last_error_code") == "warning":
            lines.append(_("warning", lang, ago=ago(error_at, now, lang), msg=row["last_error"]))
        elif failures or not ok_at or error_at >= ok_at:
            lines.append(_("last_error", lang, ago=ago(error_at, now, lang),
                           at=clock(error_at, now), msg=row["last_error"]))
    if failures == 1:
        lines.append(_("failures_1", lang))
    elif failures > 1:
        lines.append(_("failures_n", lang, n=failures))
    if row.get("last_run_at"):
        lines.append(_("items", lang, new=int(row.get("items_last_run") or 0),
                       rejected=int(row.get("rejected_last_run") or 0),
                       total=int(row.get("items_total") or 0)))
    newest = parse_iso(row.get("newest_item_at"))
    if newest:
        lines.append(_("newest", lang, ago=ago(min(newest, now), now, lang)))
    if row.get("enabled"):
        if row.get("run_requested"):
            lines.append(_("requested", lang))
        else:
            lines.append(_("next", lang, when=next_run_words(row, now, lang)))
    return lines


def next_run_words(row: dict[str, Any], now: datetime, lang: str | None = None) -> str:
    when = parse_iso(row.get("next_run_at"))
    if when is None or (when - now).total_seconds() < 1:
        return _("next_now", lang)
    return _("in", lang, d=duration((when - now).total_seconds(), lang))


def late_log_line(row: dict[str, Any], seconds: float) -> str:
    """The main-courante line (French) when a source falls late."""
    text = _("log_late", "fr", name=row["name"], for_=duration(seconds, "fr"),
             every=duration(float(row.get("every") or 60), "fr"))
    if row.get("last_error") and row.get("last_error_code") != "warning":
        text += _("log_late_error", "fr", msg=row["last_error"])
    return text


def back_log_line(name: str) -> str:
    return _("log_back", "fr", name=name)
