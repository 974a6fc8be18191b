"""The store: the only module that speaks SQL.

`Store` is assembled from one mixin per area so each file stays small; a page or a
collector imports `Store` and calls methods, never SQL. Swapping SQLite for a shared
PostgreSQL means rewriting this package only.
"""

from __future__ import annotations

from vigie.store.account_admin import AccountAdminMixin, LastAdmin
from vigie.store.accounts import AccountsMixin
from vigie.store.claims import ClaimsMixin
from vigie.store.clusters import ClustersMixin
from vigie.store.db import BaseStore, SearchSyntaxError, StaleEdit, StoreError, default_db_path
from vigie.store.exercises import ExercisesMixin
from vigie.store.feeds import FeedsMixin
from vigie.store.flags import FlagsMixin
from vigie.store.incidents import IncidentsMixin
from vigie.store.journal import JournalMixin
from vigie.store.mapdata import MapDataMixin
from vigie.store.messages import MessagesMixin
from vigie.store.people import PeopleMixin
from vigie.store.posts import EnrichmentMixin, PostFilter, PostsMixin
from vigie.store.public import PublicMixin
from vigie.store.reports import ReportsMixin
from vigie.store.roads import RoadsMixin
from vigie.store.shelters import SheltersMixin
from vigie.store.situation import SituationMixin
from vigie.store.source_admin import SourceAdminMixin
from vigie.store.sources import SourcesMixin
from vigie.store.spikes import SpikesMixin
from vigie.store.triage import TriageMixin


class Store(PostsMixin, FeedsMixin, SourcesMixin, SourceAdminMixin, IncidentsMixin,
            AccountsMixin, AccountAdminMixin, JournalMixin, ClustersMixin, EnrichmentMixin,
            TriageMixin, ClaimsMixin, PeopleMixin, MessagesMixin, ReportsMixin, SituationMixin,
            SpikesMixin, ExercisesMixin, RoadsMixin, FlagsMixin, SheltersMixin, PublicMixin,
            MapDataMixin, BaseStore):
    """A Vigie database file. Cheap to create; one per process is enough."""


__all__ = ["LastAdmin", "PostFilter", "SearchSyntaxError", "StaleEdit", "Store", "StoreError",
           "default_db_path"]
