"""Shelters (lieux d'accueil): what coordinators add, edit and publish on the public map."""

from __future__ import annotations

from typing import Any

from vigie.store.db import StoreError

SHELTER_FIELDS = ("name", "commune", "address", "lat", "lon", "capacity", "status",
                  "published")


def _check(values: dict[str, Any]) -> None:
    unknown = set(values) - set(SHELTER_FIELDS)
    if unknown:
        raise StoreError(f"shelter fields not editable: {sorted(unknown)}")


class SheltersMixin:
    """SQL for `shelters`. Mixed into vigie.store.Store."""

    def shelters(self, *, incident_id: int | None = None) -> list[dict[str, Any]]:
        if incident_id is None:
            return self.query("SELECT * FROM shelters ORDER BY name")
        return self.query("SELECT * FROM shelters WHERE incident_id = ? OR incident_id IS NULL "
                          "ORDER BY name", (incident_id,))

    def add_shelter(self, values: dict[str, Any], actor: str, *, incident_id: int | None,
                    log_text: str) -> int:
        _check(values)
        columns = (*values, "incident_id", "updated_at", "updated_by")
        row = (*values.values(), incident_id, self.now(), actor)
        with self.write() as conn:
            cur = conn.execute(f"INSERT INTO shelters ({', '.join(columns)}) "
                               f"VALUES ({', '.join('?' * len(columns))})", row)
            shelter_id = int(cur.lastrowid)
            self.audit(actor, "shelter.create", "shelters", shelter_id, None, values)
            self.add_log(actor, log_text, kind="action", entity="shelter",
                         entity_id=shelter_id, incident_id=incident_id)
        return shelter_id

    def edit_shelter(self, shelter_id: int, expected_version: int, changes: dict[str, Any],
                     actor: str, *, log_text: str) -> dict[str, Any]:
        _check(changes)
        with self.write():
            row = self.versioned_update("shelters", shelter_id, expected_version, changes,
                                        actor, action="shelter.edit")
            self.add_log(actor, log_text, kind="action", entity="shelter",
                         entity_id=shelter_id, incident_id=row.get("incident_id"))
        return row
