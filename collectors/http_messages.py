"""Short sentences that tell a volunteer why a source could not be fetched.

They appear in the source health panel, so they say what happened and, where
there is one, what to do; the technical detail stays in the logs. French first.
"""

from __future__ import annotations

import math
from typing import Protocol

_MIB = 1024 * 1024


class _ErrorLike(Protocol):
    code: str
    status: int | None
    retry_after: float | None
    limit: float | None


_FR = {
    "timeout": "Le serveur ne répond pas (délai dépassé après {seconds} s)",
    "refused": "Connexion refusée : le serveur est arrêté ou n'accepte pas de connexion",
    "dns": "Nom de serveur inconnu : vérifiez l'adresse",
    "tls": "Connexion sécurisée impossible : certificat ou chiffrement refusé",
    "too_large": "Réponse trop volumineuse (plus de {megabytes} Mo) : téléchargement interrompu",
    "http_error": "Le serveur a refusé la demande (erreur HTTP {status})",
    "http_401": "Accès refusé (HTTP 401) : identifiant ou jeton manquant ou invalide",
    "http_403": "Accès interdit (HTTP 403) : le serveur refuse de fournir ces données",
    "http_404": "Adresse introuvable (HTTP 404) : vérifiez l'adresse de la source",
    "http_410": "Ces données n'existent plus (HTTP 410) : vérifiez l'adresse de la source",
    "rate_limited": "Trop de requêtes : le serveur demande d'attendre {wait} s",
    "rate_limited_bare": "Trop de requêtes : le serveur limite les accès, nouvel essai plus tard",
    "unavailable": "Service momentanément indisponible : le serveur demande d'attendre {wait} s",
    "unavailable_bare": "Service momentanément indisponible (HTTP 503) : nouvel essai plus tard",
    "server_error": "Erreur du serveur (HTTP {status}) : nouvel essai plus tard",
    "redirect_loop": "Redirections en boucle ou trop nombreuses : vérifiez l'adresse",
    "truncated": "Réponse incomplète : la connexion a été coupée avant la fin",
    "deadline": "Téléchargement trop long (plus de {seconds} s) : interrompu",
    "bad_url": "Adresse invalide ou fichier introuvable : vérifiez l'adresse de la source",
    "network": "Erreur réseau : le serveur n'a pas pu être joint",
    "unknown": "Erreur inattendue pendant la récupération des données",
}

_EN = {
    "timeout": "The server is not responding (timed out after {seconds} s)",
    "refused": "Connection refused: the server is down or not accepting connections",
    "dns": "Unknown server name: check the address",
    "tls": "Secure connection failed: certificate or encryption rejected",
    "too_large": "Response too large (over {megabytes} MB): download stopped",
    "http_error": "The server refused the request (HTTP error {status})",
    "http_401": "Access denied (HTTP 401): missing or invalid login or token",
    "http_403": "Forbidden (HTTP 403): the server refuses to provide this data",
    "http_404": "Address not found (HTTP 404): check the source's address",
    "http_410": "This data no longer exists (HTTP 410): check the source's address",
    "rate_limited": "Too many requests: the server asks to wait {wait} s",
    "rate_limited_bare": "Too many requests: the server limits access, will retry later",
    "unavailable": "Service temporarily unavailable: the server asks to wait {wait} s",
    "unavailable_bare": "Service temporarily unavailable (HTTP 503): will retry later",
    "server_error": "Server error (HTTP {status}): will retry later",
    "redirect_loop": "Redirect loop or too many redirects: check the address",
    "truncated": "Incomplete response: the connection was cut before the end",
    "deadline": "Download took too long (over {seconds} s): stopped",
    "bad_url": "Invalid address or file not found: check the source's address",
    "network": "Network error: the server could not be reached",
    "unknown": "Unexpected error while fetching data",
}


def describe(error: BaseException | _ErrorLike, lang: str = "fr") -> str:
    """One sentence for the health panel, in French (default) or English (`lang="en"`)."""
    table = _EN if lang.lower().startswith("en") else _FR
    code = getattr(error, "code", None)
    if code not in table:
        return table["unknown"]
    status = getattr(error, "status", None)
    wait = getattr(error, "retry_after", None)
    limit = getattr(error, "limit", None)
    key = code
    if code == "http_error" and f"http_{status}" in table:
        key = f"http_{status}"
    elif code in ("rate_limited", "unavailable") and wait is None:
        key = f"{code}_bare"
    comma = table is _FR
    return table[key].format(
        status=status if status is not None else "?",
        wait=math.ceil(wait) if wait is not None else "?",
        seconds=_number(limit, comma) if limit is not None else "?",
        megabytes=_number(limit / _MIB, comma) if limit is not None else "?",
    )


def _number(value: float, comma: bool) -> str:
    """20.0 -> "20", 0.5 -> "0,5" in French: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if comma else text
