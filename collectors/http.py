"""Placeholder until the HTTP module lands: local files only."""

from __future__ import annotations

from pathlib import Path

from collectors.base import Fetched, Request


class FetchError(Exception):
    def __init__(self, code: str, detail: str = "", retry_after: float | None = None,
                 status: int | None = None) -> None:
        super().__init__(detail or code)
        self.code, self.detail, self.retry_after, self.status = code, detail, retry_after, status


def describe(error: FetchError, lang: str = "fr") -> str:
    return f"{error.code}: {error.detail}"


class Fetcher:
    def fetch(self, request: Request) -> Fetched:
        path = Path(request.url.removeprefix("file://"))
        try:
            return Fetched(body=path.read_bytes(), url=request.url)
        except OSError as exc:
            raise FetchError("network", str(exc)) from exc
