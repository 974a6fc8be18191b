"""Shared pytest fixtures. Each helper adds its own import line; keep them one-liners."""

from tests.faultserver import fault_server, refused_url, unknown_host_url  # noqa: F401
