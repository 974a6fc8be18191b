"""The fixed world of the Côte-d'Or flood exercise: places, rivers, roads, alerts, geometry.

Everything here is data or a pure function of the commune extract, so that the story module
can stay about time and text. Places, rivers and roads are real; the events are fictional.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path

# Bounding box used for every generated coordinate (Côte-d'Or, with a small margin inside).
LAT_MIN, LAT_MAX = 46.92, 48.08
LON_MIN, LON_MAX = 4.02, 5.58


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str  # commune_article: the name as people write it ("Les Maillys")
    lat: float
    lon: float
    population: int


def load_communes(path: Path) -> dict[str, Commune]:
    """Read the Côte-d'Or extract, keyed by the name with its article."""
    out: dict[str, Commune] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out[row["commune_article"]] = Commune(
                insee=row["insee_com"],
                name=row["commune_article"],
                lat=float(row["lat"]),
                lon=float(row["lng"]),
                population=int(row["population_2021"] or 0),
            )
    return out


# River name -> (definite form, "de" form). None means local runoff (ruissellement).
RIVERS: dict[str, tuple[str, str]] = {
    "Ouche": ("l'Ouche", "de l'Ouche"),
    "Saône": ("la Saône", "de la Saône"),
    "Tille": ("la Tille", "de la Tille"),
    "Norge": ("la Norge", "de la Norge"),
    "Vouge": ("la Vouge", "de la Vouge"),
    "Vingeanne": ("la Vingeanne", "de la Vingeanne"),
    "Bèze": ("la Bèze", "de la Bèze"),
    "Armançon": ("l'Armançon", "de l'Armançon"),
    "Brenne": ("la Brenne", "de la Brenne"),
    "Seine": ("la Seine", "de la Seine"),
    "Laignes": ("la Laignes", "de la Laignes"),
    "Meuzin": ("le Meuzin", "du Meuzin"),
    "Bouzaise": ("la Bouzaise", "de la Bouzaise"),
    "Dheune": ("la Dheune", "de la Dheune"),
    "Arroux": ("l'Arroux", "de l'Arroux"),
}


@dataclass(frozen=True)
class Place:
    """An affected commune: which water, how much it is talked about, when its flood peaks."""

    name: str
    river: str | None
    weight: float
    peak_h: float
    sigma_h: float


PLACES: list[Place] = [
    Place("Dijon", "Ouche", 10, 3.0, 1.6),
    Place("Plombières-lès-Dijon", "Ouche", 6, 2.5, 1.2),
    Place("Velars-sur-Ouche", "Ouche", 3, 2.0, 1.2),
    Place("Fleurey-sur-Ouche", "Ouche", 2, 1.8, 1.2),
    Place("Sainte-Marie-sur-Ouche", "Ouche", 1.5, 1.7, 1.2),
    Place("Gissey-sur-Ouche", "Ouche", 1, 1.5, 1.2),
    Place("Bligny-sur-Ouche", "Ouche", 1.5, 1.3, 1.2),
    Place("Longvic", "Ouche", 5, 3.2, 1.4),
    Place("Ouges", "Ouche", 2, 3.4, 1.3),
    Place("Neuilly-Crimolois", "Ouche", 2, 3.5, 1.3),
    Place("Fauverney", "Ouche", 2, 3.6, 1.3),
    Place("Rouvres-en-Plaine", "Ouche", 2, 3.8, 1.3),
    Place("Thorey-en-Plaine", "Ouche", 1.5, 4.0, 1.3),
    Place("Longecourt-en-Plaine", "Ouche", 1.5, 4.2, 1.3),
    Place("Tart", "Ouche", 1.5, 4.4, 1.3),
    Place("Échenon", "Ouche", 1.2, 5.0, 1.5),
    Place("Is-sur-Tille", "Tille", 3.5, 2.0, 1.2),
    Place("Til-Châtel", "Tille", 1.5, 1.8, 1.2),
    Place("Marcilly-sur-Tille", "Tille", 2, 2.2, 1.2),
    Place("Arc-sur-Tille", "Tille", 2.5, 2.8, 1.3),
    Place("Remilly-sur-Tille", "Tille", 1.2, 3.0, 1.3),
    Place("Magny-sur-Tille", "Tille", 1.5, 3.2, 1.3),
    Place("Genlis", "Tille", 6, 3.8, 1.4),
    Place("Izier", "Tille", 1, 3.6, 1.3),
    Place("Labergement-Foigney", "Tille", 1, 3.9, 1.3),
    Place("Champdôtre", "Tille", 1, 4.3, 1.4),
    Place("Les Maillys", "Tille", 1.2, 5.0, 1.6),
    Place("Norges-la-Ville", "Norge", 1.2, 2.2, 1.2),
    Place("Saint-Julien", "Norge", 1, 2.4, 1.2),
    Place("Gilly-lès-Cîteaux", "Vouge", 1, 2.5, 1.3),
    Place("Saint-Bernard", "Vouge", 0.8, 2.8, 1.3),
    Place("Aiserey", "Vouge", 1.5, 3.6, 1.4),
    Place("Brazey-en-Plaine", "Vouge", 2.5, 4.0, 1.5),
    Place("Saint-Usage", "Vouge", 1.5, 4.6, 1.5),
    Place("Saint-Jean-de-Losne", "Saône", 5, 5.5, 1.8),
    Place("Losne", "Saône", 2, 5.6, 1.8),
    Place("Auxonne", "Saône", 5, 5.2, 1.8),
    Place("Pontailler-sur-Saône", "Saône", 3, 4.8, 1.8),
    Place("Lamarche-sur-Saône", "Saône", 1.5, 5.0, 1.8),
    Place("Heuilley-sur-Saône", "Saône", 0.8, 4.6, 1.8),
    Place("Seurre", "Saône", 3, 6.0, 1.8),
    Place("Esbarres", "Saône", 1, 5.8, 1.8),
    Place("Talmay", "Vingeanne", 1, 4.0, 1.6),
    Place("Saint-Seine-sur-Vingeanne", "Vingeanne", 0.8, 2.8, 1.4),
    Place("Renève", "Vingeanne", 0.8, 3.5, 1.5),
    Place("Mirebeau-sur-Bèze", "Bèze", 2, 2.8, 1.4),
    Place("Bèze", "Bèze", 1, 2.4, 1.3),
    Place("Semur-en-Auxois", "Armançon", 3.5, 2.0, 1.3),
    Place("Pont-et-Massène", "Armançon", 1, 1.8, 1.2),
    Place("Genay", "Armançon", 0.6, 2.3, 1.2),
    Place("Buffon", "Armançon", 0.5, 2.8, 1.3),
    Place("Montbard", "Brenne", 3.5, 2.4, 1.4),
    Place("Venarey-les-Laumes", "Brenne", 3, 2.0, 1.3),
    Place("Vitteaux", "Brenne", 1.5, 1.6, 1.2),
    Place("Châtillon-sur-Seine", "Seine", 3.5, 3.0, 1.6),
    Place("Sainte-Colombe-sur-Seine", "Seine", 1, 3.0, 1.5),
    Place("Chamesson", "Seine", 0.6, 2.6, 1.4),
    Place("Laignes", "Laignes", 0.8, 2.6, 1.4),
    Place("Nuits-Saint-Georges", "Meuzin", 2.5, 1.5, 1.3),
    Place("Beaune", "Bouzaise", 3, 1.5, 1.5),
    Place("Santenay", "Dheune", 1, 2.0, 1.5),
    Place("Arnay-le-Duc", "Arroux", 1.2, 1.6, 1.3),
    Place("Chenôve", None, 2.5, 2.2, 1.5),
    Place("Marsannay-la-Côte", None, 1.5, 1.8, 1.4),
    Place("Gevrey-Chambertin", None, 1.2, 1.6, 1.4),
    Place("Quetigny", None, 1.5, 2.8, 2.0),
    Place("Chevigny-Saint-Sauveur", None, 2, 3.0, 1.8),
    Place("Saint-Apollinaire", None, 1.2, 2.8, 2.0),
]

PLACE_BY_NAME = {p.name: p for p in PLACES}

# Communes on higher ground or with large halls, used as shelters for their neighbours.
SHELTERS: dict[str, list[str]] = {
    "Dijon": ["Palais des sports", "Parc des expositions", "gymnase de la Fontaine d'Ouche"],
    "Talant": ["salle de l'Écrin", "gymnase municipal de Talant"],
    "Plombières-lès-Dijon": ["salle des fêtes de Plombières", "école maternelle du bourg"],
    "Longvic": ["gymnase du collège de Longvic", "salle des fêtes de Longvic"],
    "Genlis": ["gymnase du collège de Genlis", "salle des fêtes de Genlis"],
    "Auxonne": ["gymnase de la caserne", "salle polyvalente d'Auxonne"],
    "Saint-Jean-de-Losne": ["salle des fêtes de Saint-Jean-de-Losne", "collège de Saint-Jean"],
    "Is-sur-Tille": ["salle des fêtes d'Is-sur-Tille", "gymnase du collège Paul-Fort"],
    "Semur-en-Auxois": ["gymnase du lycée de Semur", "salle des fêtes de Semur"],
    "Montbard": ["Palais des sports de Montbard", "salle des fêtes de Montbard"],
    "Châtillon-sur-Seine": ["gymnase de Châtillon", "salle polyvalente de Châtillon"],
    "Seurre": ["salle des fêtes de Seurre"],
    "Pontailler-sur-Saône": ["salle des fêtes de Pontailler"],
    "Brazey-en-Plaine": ["salle polyvalente de Brazey"],
    "Arc-sur-Tille": ["salle des fêtes d'Arc-sur-Tille"],
    "Chevigny-Saint-Sauveur": ["gymnase de Chevigny"],
    "Quetigny": ["Espace culturel de Quetigny"],
}

# The shelter a displaced family from X is sent to (nearest one on higher ground).
SHELTER_FOR: dict[str, str] = {
    "Velars-sur-Ouche": "Talant",
    "Fleurey-sur-Ouche": "Talant",
    "Ouges": "Longvic",
    "Neuilly-Crimolois": "Chevigny-Saint-Sauveur",
    "Fauverney": "Genlis",
    "Rouvres-en-Plaine": "Longvic",
    "Thorey-en-Plaine": "Brazey-en-Plaine",
    "Tart": "Genlis",
    "Magny-sur-Tille": "Chevigny-Saint-Sauveur",
    "Izier": "Genlis",
    "Labergement-Foigney": "Genlis",
    "Les Maillys": "Auxonne",
    "Losne": "Saint-Jean-de-Losne",
    "Saint-Usage": "Saint-Jean-de-Losne",
    "Échenon": "Saint-Jean-de-Losne",
    "Aiserey": "Brazey-en-Plaine",
    "Marcilly-sur-Tille": "Is-sur-Tille",
    "Til-Châtel": "Is-sur-Tille",
    "Venarey-les-Laumes": "Semur-en-Auxois",
    "Pont-et-Massène": "Semur-en-Auxois",
    "Sainte-Colombe-sur-Seine": "Châtillon-sur-Seine",
    "Lamarche-sur-Saône": "Pontailler-sur-Saône",
    "Esbarres": "Seurre",
    "Remilly-sur-Tille": "Arc-sur-Tille",
}

GENERIC_STREETS = [
    "rue du Moulin", "rue de la Rivière", "rue du Pont", "impasse des Saules", "rue des Prés",
    "allée des Peupliers", "rue de la Gare", "Grande Rue", "rue de l'Église", "chemin de halage",
    "rue des Écluses", "rue des Jardins", "rue Basse", "rue du Lavoir", "route de Dijon",
    "rue Pasteur", "rue Victor-Hugo", "rue de la Mairie", "lotissement des Prés",
    "rue des Tilleuls", "chemin des Îles", "rue des Vergers", "rue du Stade", "place de l'Église",
]

STREETS: dict[str, list[str]] = {
    "Dijon": [
        "avenue du Lac", "boulevard Kir", "rue de Plombières", "quai Nicolas-Rolin",
        "rue d'Auxonne", "avenue Jean-Jaurès", "rue de Longvic", "boulevard de Chèvre-Morte",
        "rue du Faubourg-Raines", "allée du Parc", "cours du Parc", "avenue du Drapeau",
    ],
    "Saint-Jean-de-Losne": ["quai National", "rue du Port", "quai de la Saône", "rue de la Lime"],
    "Auxonne": ["quai de la Saône", "rue du Port", "faubourg Saint-Vivant", "rue Carnot"],
    "Plombières-lès-Dijon": ["rue du Moulin", "rue de l'Ouche", "rue Bernard-Lauras"],
}

DIJON_QUARTERS = ["Fontaine d'Ouche", "Port du Canal", "Bourroches", "quartier du Parc",
                  "Faubourg Raines", "Chevreul"]


def river_forms(river: str | None) -> tuple[str, str]:
    """('l'Ouche', 'de l'Ouche') or a neutral wording for runoff."""
    if river is None:
        return ("l'eau", "de l'eau")
    return RIVERS[river]


def streets_of(name: str, river: str | None) -> list[str]:
    extra = STREETS.get(name, [])
    if river == "Saône":
        extra = extra + ["quai de la Saône", "rue du Port"]
    elif river is not None:
        extra = extra + [f"rue {river_forms(river)[1]}"]
    return extra + GENERIC_STREETS


def shelter_of(name: str, rng: random.Random) -> tuple[str, str]:
    """(host commune, shelter label) for people displaced from `name`."""
    host = name if name in SHELTERS else SHELTER_FOR.get(name, "")
    if host in SHELTERS:
        return host, rng.choice(SHELTERS[host])
    return name, rng.choice([f"salle des fêtes de {name}", f"salle polyvalente de {name}",
                             f"école de {name}", f"mairie de {name}"])


# --- geometry -------------------------------------------------------------------------------

KM_LAT = 1 / 111.0


def km_lon(lat: float) -> float:
    return 1 / (111.0 * math.cos(math.radians(lat)))


def clamp_point(lat: float, lon: float) -> tuple[float, float]:
    return (min(max(lat, LAT_MIN), LAT_MAX), min(max(lon, LON_MIN), LON_MAX))


def jitter(lat: float, lon: float, rng: random.Random, km: float) -> tuple[float, float]:
    """A point within about `km` kilometres of (lat, lon), kept inside the département box."""
    ang = rng.uniform(0, 2 * math.pi)
    dist = km * math.sqrt(rng.random())
    lat2 = lat + dist * math.sin(ang) * KM_LAT
    lon2 = lon + dist * math.cos(ang) * km_lon(lat)
    lat2, lon2 = clamp_point(lat2, lon2)
    return round(lat2, 5), round(lon2, 5)


def road_line(c: Commune, rng: random.Random) -> dict:
    """A short plausible LineString (0.6-2.5 km, 4-6 vertices) near a commune centre."""
    lat0, lon0 = jitter(c.lat, c.lon, rng, 1.2)
    heading = rng.uniform(0, 2 * math.pi)
    length = rng.uniform(0.6, 2.5)
    n = rng.randint(4, 6)
    step = length / (n - 1)
    pts = []
    lat, lon = lat0, lon0
    for i in range(n):
        if i:
            heading += rng.uniform(-0.35, 0.35)
            lat += step * math.sin(heading) * KM_LAT
            lon += step * math.cos(heading) * km_lon(lat)
        la, lo = clamp_point(lat, lon)
        pts.append([round(lo, 5), round(la, 5)])
    return {"type": "LineString", "coordinates": pts}


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain), counter-clockwise, in (lon, lat)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def area_polygon(communes: list[Commune], margin_km: float = 3.0) -> dict:
    """A polygon around a set of communes: points pushed out around each centre, then hulled."""
    pts: list[tuple[float, float]] = []
    for c in communes:
        for k in range(8):
            ang = k * math.pi / 4
            pts.append((c.lon + margin_km * math.cos(ang) * km_lon(c.lat),
                        c.lat + margin_km * math.sin(ang) * KM_LAT))
    ring = [[round(lo, 4), round(la, 4)] for lo, la in _hull(pts)]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def ellipse_polygon(lat: float, lon: float, rx_km: float, ry_km: float, n: int = 12) -> dict:
    """A small ellipse around a point, for a neighbourhood-sized evacuation zone."""
    ring = []
    for k in range(n):
        ang = 2 * math.pi * k / n
        ring.append([round(lon + rx_km * math.cos(ang) * km_lon(lat), 5),
                     round(lat + ry_km * math.sin(ang) * KM_LAT, 5)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}
