"""HTTP side of the dashboard, mounted on Streamlit's `st.App`.

- `lifespan`: on server start, make sure the admin account and one collectors process
  exist; stop the process we started when the server stops.
- `/signin` and `/api/login`, `/api/logout`: a plain HTML login form whose POST sets the
  signed HttpOnly session cookie (Streamlit cannot set cookies itself).
- `/api/health`: for the operations room's monitoring.
- `/api/public.geojson`: the public projection (vigie/public.py) for uMap or any GIS.
- `/api/metrics`: script-run percentiles per page and fragment (vigie/metrics.py), for
  loopback clients and admins only.
Routes never render collected content.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from vigie import auth, metrics
from vigie.i18n import Catalog
from vigie.models import iso, utc_now
from vigie.process import CollectorsLock, ensure_collectors
from vigie.public import projection_bytes as public_projection_bytes
from vigie.source_health import assess
from vigie.store import Store, default_db_path

log = logging.getLogger("vigie.web")

_ = Catalog({
    "title": ("Vigie — connexion", "Vigie — sign in"),
    "heading": ("Connexion à Vigie", "Sign in to Vigie"),
    "username": ("Identifiant", "Username"),
    "password": ("Mot de passe", "Password"),
    "submit": ("Se connecter", "Sign in"),
    "invalid": ("Identifiant ou mot de passe incorrect.", "Wrong username or password."),
    "throttled": ("Trop de tentatives : réessayez dans 15 minutes.",
                  "Too many attempts: try again in 15 minutes."),
    "logged_out": ("Vous êtes déconnecté.", "You are signed out."),
    "public": ("Carte publique (sans connexion)", "Public map (no sign-in)"),
    "origin": ("Requête refusée (origine inconnue).", "Request refused (unknown origin)."),
})


def store() -> Store:
    return Store(default_db_path())


def safe_next(target: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("vigie_lang") or "fr"
    return lang if lang in ("fr", "en") else "fr"


def signin_page(lang: str, next_url: str, message: str = "", status: int = 200) -> HTMLResponse:
    e = html.escape
    body = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(_("title", lang))}</title>
<style>
 body {{ font-family: system-ui, sans-serif; background:#0e1117; color:#fafafa;
        display:flex; min-height:100vh; align-items:center; justify-content:center; margin:0 }}
 form {{ background:#1b1f2a; padding:2rem 2.5rem; border-radius:12px; width:min(22rem, 90vw) }}
 h1 {{ font-size:1.5rem; margin-top:0 }}
 label {{ display:block; margin:1rem 0 .3rem }}
 input {{ width:100%; box-sizing:border-box; padding:.6rem; font-size:1rem; border-radius:6px;
         border:1px solid #555; background:#0e1117; color:#fafafa }}
 button {{ margin-top:1.5rem; width:100%; padding:.7rem; font-size:1rem; border:0;
          border-radius:6px; background:#ff4b4b; color:white; cursor:pointer }}
 .msg {{ background:#5c1d1d; padding:.6rem; border-radius:6px }}
 a {{ color:#9ecbff }}
</style></head><body>
<form method="post" action="/api/login">
 <h1>{e(_("heading", lang))}</h1>
 {f'<p class="msg" role="alert">{e(message)}</p>' if message else ''}
 <input type="hidden" name="next" value="{e(next_url)}">
 <input type="hidden" name="lang" value="{e(lang)}">
 <label for="username">{e(_("username", lang))}</label>
 <input id="username" name="username" autocomplete="username" required autofocus>
 <label for="password">{e(_("password", lang))}</label>
 <input id="password" name="password" type="password" autocomplete="current-password" required>
 <button type="submit">{e(_("submit", lang))}</button>
 <p><a href="/public?lang={e(lang)}">{e(_("public", lang))}</a></p>
</form></body></html>"""
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


async def signin(request: Request) -> Response:
    lang = _lang(request)
    message = _("logged_out", lang) if request.query_params.get("out") else ""
    return signin_page(lang, safe_next(request.query_params.get("next")), message)


def _same_origin(request: Request) -> bool:
    """A login POST must come from our own form (a light CSRF guard)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return True  # old browsers and non-browser clients send none
    return urlsplit(origin).netloc == request.headers.get("host")


async def login(request: Request) -> Response:
    form = await request.form()
    lang = str(form.get("lang") or "fr")
    lang = lang if lang in ("fr", "en") else "fr"
    next_url = safe_next(str(form.get("next") or "/"))
    if not _same_origin(request):
        return signin_page(lang, next_url, _("origin", lang), status=403)
    client = request.client.host if request.client else None
    db = store()
    try:
        user = auth.authenticate(db, str(form.get("username") or ""),
                                 str(form.get("password") or ""), client)
    except auth.LoginError as exc:
        key = "throttled" if str(exc) == "throttled" else "invalid"
        return signin_page(lang, next_url, _(key, lang), status=429 if key == "throttled" else 401)
    token = auth.make_session_token(db, user.username)
    sep = "&" if "?" in next_url else "?"
    target = next_url if lang == "fr" or "lang=" in next_url else f"{next_url}{sep}lang={lang}"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(auth.COOKIE_NAME, token, max_age=int(auth.session_hours() * 3600),
                        httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")
    return response


async def logout(request: Request) -> Response:
    lang = _lang(request)
    response = RedirectResponse(f"/signin?out=1&lang={quote(lang)}", status_code=303)
    response.delete_cookie(auth.COOKIE_NAME, path="/")
    return response


def health_report(db: Store) -> dict[str, Any]:
    sources = db.list_sources()
    now = utc_now()
    states = {s["name"]: assess(s, now, "en").state for s in sources}
    failing = [s["name"] for s in sources
               if s["enabled"] and s["consecutive_failures"] and s["consecutive_failures"] >= 3]
    late = [name for name, state in states.items() if state == "late"]
    running = CollectorsLock(db.path).held_elsewhere()
    return {
        "status": "ok" if running and not failing and not late else "degraded",
        "time": iso(utc_now()),
        "collectors_running": running,
        "last_post_collected_at": db.last_post_time(),
        "sources": [{"name": s["name"], "kind": s["kind"], "enabled": bool(s["enabled"]),
                     "state": states[s["name"]], "lag_seconds": s["lag_seconds"],
                     "last_ok_at": s["last_ok_at"], "last_error": s["last_error"],
                     "consecutive_failures": s["consecutive_failures"]} for s in sources],
        "failing_sources": failing,
        "late_sources": late,
    }


async def health(request: Request) -> Response:
    report = health_report(store())
    return JSONResponse(report, headers={"Cache-Control": "no-store"})


PUBLIC_HEADERS = {
    "Access-Control-Allow-Origin": "*",          # uMap and other sites load it directly
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Cache-Control": "public, max-age=30",
    "X-Content-Type-Options": "nosniff",
}


def public_geojson(request: Request) -> Response:
    """The public projection as GeoJSON. Query parameters are ignored: none reaches more.
    A plain function: Starlette runs it in its thread pool, off the event loop."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=PUBLIC_HEADERS)
    db = store()
    try:
        body = public_projection_bytes(db)
    finally:
        db.close()
    return Response(body, media_type="application/geo+json", headers=PUBLIC_HEADERS)


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
PROXY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")


def metrics_allowed(request: Request) -> bool:
    """A monitoring client on the machine itself, or a signed-in admin. A request relayed
    by a local reverse proxy arrives from loopback too: it carries forwarding headers, and
    then only an admin's session counts."""
    client = request.client.host if request.client else None
    relayed = any(h in request.headers for h in PROXY_HEADERS)
    if client in LOOPBACK and not relayed:
        return True
    token = request.cookies.get(auth.COOKIE_NAME)
    if not token:
        return False
    db = store()
    try:
        user = auth.user_from_token(db, token)
    finally:
        db.close()
    return bool(user and user.can("admin"))


def metrics_report(request: Request) -> Response:
    """Percentiles of script runs per page and fragment, since `?since=<epoch seconds>`
    (default: every run kept). Durations and code-defined names only: nothing personal."""
    if not metrics_allowed(request):
        return JSONResponse({"error": "forbidden"}, status_code=403,
                            headers={"Cache-Control": "no-store"})
    try:
        since = float(request.query_params["since"]) if "since" in request.query_params else None
    except ValueError:
        return JSONResponse({"error": "since: epoch seconds expected"}, status_code=400)
    return JSONResponse(metrics.summary(since), headers={"Cache-Control": "no-store"})


def routes() -> list[Route]:
    return [
        Route("/signin", signin, methods=["GET"]),
        Route("/api/login", login, methods=["POST"]),
        Route("/api/logout", logout, methods=["GET", "POST"]),
        Route("/api/health", health, methods=["GET"]),
        Route("/api/public.geojson", public_geojson, methods=["GET", "OPTIONS"]),
        Route("/api/metrics", metrics_report, methods=["GET"]),
    ]


def use_navigation_for_direct_urls() -> None:
    """Vigie's pages live in `pages/` (the project layout) but are declared with
    st.navigation in app.py. Until the first session has run app.py, Streamlit treats
    a `pages/` folder as the legacy multipage layout and serves a direct URL such as
    /timeline by running that file alone: no login shell, no banner. Streamlit flips
    this process-wide flag itself after the first st.navigation call; we flip it at
    start so that the first visitor of a bookmarked page gets the same app as everyone.
    Covered by tests/test_browser_timeline.py (first visit goes straight to /timeline)."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
    """Start-up: admin account, and one collectors process unless supervised elsewhere."""
    use_navigation_for_direct_urls()
    db = store()
    generated = auth.ensure_admin(db)
    if generated:
        print(f"\n  Vigie: first start, account 'admin' created with password: {generated}\n"
              "  (shown once; set VIGIE_ADMIN_PASSWORD to choose it)\n", flush=True)
    proc = None
    if os.environ.get("VIGIE_COLLECTORS", "auto") != "external":
        log_path = Path(str(db.path) + ".collectors.log")
        proc = ensure_collectors(db.path, os.environ.get("VIGIE_SOURCES"), log_path)
        if proc:
            print(f"  Vigie: collectors started (pid {proc.pid}), log in {log_path}", flush=True)
    try:
        yield {}
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except Exception:
                proc.kill()
