"""Road events of the exercise: real Côte-d'Or roads, fictional closures and reopenings.

Each road event is a list of stages (minute, event_type or "ended"); every stage becomes one
`road_event` line sharing the event id, so a closure, its escalation and its reopening are
updates of one record, as a road operator's feed would publish them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from crue_world import Commune, road_line


@dataclass(frozen=True)
class RoadSpec:
    road: str
    commune: str
    stages: tuple[tuple[int, str], ...]  # (minute from start, event_type | "ended")
    section: str  # "entre X et Y" / "dans la traversée de X"
    reason: str
    detour: str
    direction: str = "both"
    operator: str = "@CD21_Routes"


SPECS: list[RoadSpec] = [
    RoadSpec("D905", "Velars-sur-Ouche", ((38, "closure"), (430, "ended")),
             "entre Velars-sur-Ouche et Plombières-lès-Dijon",
             "chaussée submergée par l'Ouche",
             "Déviation par l'A38 entre les échangeurs de Velars et de Plombières"),
    RoadSpec("D905", "Plombières-lès-Dijon", ((62, "closure"), (455, "ended")),
             "dans la traversée de Plombières-lès-Dijon",
             "débordement de l'Ouche, 40 cm d'eau sur la chaussée",
             "Déviation par la D10 (Lantenay) puis la D971 par Daix"),
    RoadSpec("D10", "Lantenay", ((70, "detour"), (460, "ended")),
             "entre Lantenay et Daix",
             "itinéraire de déviation de la D905 coupée à Plombières",
             "Itinéraire conseillé ; poids lourds interdits sur la déviation"),
    RoadSpec("Avenue du Lac", "Dijon", ((95, "closure"), (470, "ended")),
             "entre le boulevard Kir et la rue de Plombières",
             "débordement du lac Kir et de l'Ouche",
             "Déviation par le boulevard de Chèvre-Morte et la rue de Plombières",
             operator="@VilleDeDijon"),
    RoadSpec("Quai Nicolas-Rolin", "Dijon", ((130, "closure"), (465, "ended")),
             "au niveau du Port du Canal",
             "quais inondés",
             "Déviation par l'avenue Jean-Jaurès",
             operator="@VilleDeDijon"),
    RoadSpec("N274", "Longvic", ((110, "restriction"), (150, "closure"), (420, "ended")),
             "bretelle de sortie Longvic / Ouges",
             "eau sur la chaussée sous l'ouvrage de l'Ouche",
             "Sortie conseillée : échangeur de Chenôve puis D996",
             direction="Rocade est vers rocade sud", operator="@DIRCentreEst"),
    RoadSpec("D996", "Ouges", ((160, "closure"), (470, "ended")),
             "entre Longvic et Ouges",
             "débordement de l'Ouche",
             "Déviation par la N274 puis la D968"),
    RoadSpec("D34", "Rouvres-en-Plaine", ((125, "closure"), (480, "ended")),
             "entre Rouvres-en-Plaine et Thorey-en-Plaine",
             "chaussée inondée, véhicule bloqué",
             "Déviation par la D996 et la D968"),
    RoadSpec("D31", "Fauverney", ((170, "closure"),),
             "au gué de Fauverney",
             "Ouche en crue, passage à gué submergé",
             "Déviation par la D905 via Magny-sur-Tille"),
    RoadSpec("D116", "Magny-sur-Tille", ((140, "closure"), (470, "ended")),
             "entre Magny-sur-Tille et Izier",
             "débordement de la Tille",
             "Déviation par la D905 et la D25"),
    RoadSpec("D70", "Arc-sur-Tille", ((80, "restriction"), (115, "closure"), (440, "ended")),
             "entre Arc-sur-Tille et Remilly-sur-Tille",
             "la Tille déborde sur la chaussée",
             "Déviation par la D28 et Varois-et-Chaignot"),
    RoadSpec("D905", "Genlis", ((100, "restriction"), (150, "closure"), (475, "ended")),
             "entre Genlis et Labergement-Foigney",
             "chaussée submergée par la Tille",
             "Déviation par l'A39 (sortie Genlis) et la D25"),
    RoadSpec("D25", "Izier", ((175, "closure"),),
             "entre Izier et Genlis",
             "débordement de la Tille",
             "Déviation par la D905 (sous réserve) ou l'A39"),
    RoadSpec("D974", "Til-Châtel", ((75, "closure"), (400, "ended")),
             "dans la traversée de Til-Châtel",
             "débordement de la Tille",
             "Déviation par l'A31 entre les sorties Til-Châtel et Is-sur-Tille"),
    RoadSpec("D903", "Is-sur-Tille", ((90, "closure"), (410, "ended")),
             "entre Is-sur-Tille et Marcilly-sur-Tille",
             "l'Ignon et la Tille débordent",
             "Déviation par la D974 et la D28"),
    RoadSpec("D28", "Marcilly-sur-Tille", ((105, "restriction"), (395, "ended")),
             "à la sortie sud de Marcilly-sur-Tille",
             "circulation alternée, accotements effondrés",
             "Pas de déviation, circulation alternée par feux", direction="both"),
    RoadSpec("D996", "Saulon-la-Chapelle", ((200, "closure"), (450, "ended")),
             "entre Saulon-la-Chapelle et Noiron-sous-Gevrey",
             "la Cent-Fonts et la Vouge débordent",
             "Déviation par l'A39 (échangeur de Saulon) et la D109"),
    RoadSpec("D968", "Saint-Jean-de-Losne", ((260, "closure"),),
             "entre Saint-Jean-de-Losne et Saint-Usage",
             "montée de la Saône",
             "Déviation par la D976 et la D20"),
    RoadSpec("D968", "Losne", ((300, "closure"),),
             "entre Losne et Saint-Symphorien-sur-Saône",
             "la Saône recouvre la chaussée",
             "Déviation par la D24 et la D976"),
    RoadSpec("D976", "Seurre", ((330, "restriction"), (380, "closure")),
             "entre Seurre et Pagny-la-Ville",
             "montée de la Saône",
             "Déviation par l'A36 (sortie Seurre) et la D973"),
    RoadSpec("D905", "Auxonne", ((240, "incident"), (460, "ended")),
             "sur le pont de Saône à Auxonne",
             "circulation alternée par précaution, contrôle de l'ouvrage en cours",
             "Itinéraire conseillé : A39 puis A36"),
    RoadSpec("D20", "Les Maillys", ((280, "closure"),),
             "entre Les Maillys et Auxonne",
             "confluence Tille-Saône en crue",
             "Déviation par la D905 et Tréclun"),
    RoadSpec("D959", "Pontailler-sur-Saône", ((310, "closure"),),
             "entre Pontailler-sur-Saône et Heuilley-sur-Saône",
             "la Saône recouvre la chaussée",
             "Déviation par la D976 et Talmay"),
    RoadSpec("D976", "Lamarche-sur-Saône", ((340, "closure"),),
             "dans la traversée de Lamarche-sur-Saône",
             "montée de la Saône",
             "Déviation par la D27 et Magny-Montarlot"),
    RoadSpec("D109", "Brazey-en-Plaine", ((190, "closure"), (470, "ended")),
             "entre Brazey-en-Plaine et Aiserey",
             "débordement de la Vouge",
             "Déviation par la D968 et la D25"),
    RoadSpec("D25", "Aiserey", ((210, "closure"), (475, "ended")),
             "au pont de la Vouge à Aiserey",
             "la Vouge passe par-dessus le pont",
             "Déviation par la D996 et la D109"),
    RoadSpec("D974", "Nuits-Saint-Georges", ((70, "restriction"), (250, "ended")),
             "dans la traversée de Nuits-Saint-Georges",
             "débordement du Meuzin, une voie neutralisée",
             "Pas de déviation, ralentissements"),
    RoadSpec("A31", "Nuits-Saint-Georges", ((55, "incident"), (115, "ended")),
             "entre les sorties Nuits-Saint-Georges et Beaune",
             "accident matériel (aquaplaning), voie de gauche neutralisée",
             "Pas de déviation, prudence", direction="Dijon vers Beaune", operator="@APRR"),
    RoadSpec("A38", "Plombières-lès-Dijon", ((85, "restriction"), (300, "ended")),
             "entre Velars-sur-Ouche et Plombières-lès-Dijon",
             "coulée de boue, voie de droite fermée, vitesse limitée à 70 km/h",
             "Pas de déviation", direction="Pouilly-en-Auxois vers Dijon",
             operator="@DIRCentreEst"),
    RoadSpec("A39", "Saulon-la-Chapelle", ((120, "restriction"), (400, "ended")),
             "entre l'échangeur de Crimolois et la sortie Genlis",
             "vitesse limitée à 90 km/h, fortes pluies et eau sur la chaussée",
             "Pas de déviation", direction="Dijon vers Dole", operator="@APRR"),
    RoadSpec("A6", "Pouilly-en-Auxois", ((40, "incident"), (95, "ended")),
             "à hauteur de Pouilly-en-Auxois",
             "accident, poids lourd en travers, voie de droite neutralisée",
             "Pas de déviation", direction="Paris vers Lyon", operator="@APRR"),
    RoadSpec("D980", "Montbard", ((50, "closure"), (380, "ended")),
             "entre Montbard et Buffon",
             "débordement de la Brenne et de l'Armançon",
             "Déviation par la D905 et Venarey-les-Laumes"),
    RoadSpec("D905", "Venarey-les-Laumes", ((45, "closure"), (390, "ended")),
             "au niveau du pont de la Brenne à Venarey-les-Laumes",
             "la Brenne recouvre la chaussée",
             "Déviation par la D954 et Pouillenay"),
    RoadSpec("D954", "Semur-en-Auxois", ((55, "closure"), (360, "ended")),
             "au pont Joly, Semur-en-Auxois",
             "montée de l'Armançon",
             "Déviation par la D980 et la rocade de Semur"),
    RoadSpec("D103", "Pont-et-Massène", ((70, "works"), (330, "ended")),
             "route de la digue du lac de Pont",
             "travaux d'urgence de VNF sur le déversoir, circulation interdite",
             "Déviation par Semur-en-Auxois"),
    RoadSpec("D971", "Châtillon-sur-Seine", ((140, "closure"), (420, "ended")),
             "entre Châtillon-sur-Seine et Sainte-Colombe-sur-Seine",
             "débordement de la Seine",
             "Déviation par la D965 et la rocade de Châtillon"),
    RoadSpec("D965", "Laignes", ((120, "closure"), (390, "ended")),
             "dans la traversée de Laignes",
             "la Laignes déborde",
             "Déviation par la D953"),
    RoadSpec("D970", "Bligny-sur-Ouche", ((30, "closure"), (350, "ended")),
             "entre Bligny-sur-Ouche et Thorey-sur-Ouche",
             "chaussée submergée par l'Ouche",
             "Déviation par la D33 et la D18"),
    RoadSpec("D33", "Sainte-Marie-sur-Ouche", ((45, "closure"), (440, "ended")),
             "à Pont-de-Pany",
             "débordement de l'Ouche sous le pont",
             "Déviation par l'A38 (échangeur de Pont-de-Pany)"),
    RoadSpec("D981", "Arnay-le-Duc", ((60, "restriction"), (240, "ended")),
             "à la sortie nord d'Arnay-le-Duc",
             "eau sur la chaussée, vitesse limitée à 50 km/h",
             "Pas de déviation"),
    RoadSpec("D960", "Mirebeau-sur-Bèze", ((150, "closure"), (430, "ended")),
             "entre Mirebeau-sur-Bèze et Bèze",
             "débordement de la Bèze",
             "Déviation par la D70 et Belleneuve"),
    RoadSpec("D27", "Saint-Seine-sur-Vingeanne", ((190, "closure"), (445, "ended")),
             "au pont de la Vingeanne",
             "la Vingeanne recouvre le pont",
             "Déviation par Fontaine-Française"),
]

VERBS = {
    "closure": ["coupée", "fermée à la circulation"],
    "restriction": ["circulation restreinte", "circulation perturbée"],
    "incident": ["incident en cours", "circulation perturbée"],
    "works": ["travaux d'urgence", "fermée pour travaux d'urgence"],
    "detour": ["itinéraire de déviation", "déviation en place"],
}


def _pr(rng: random.Random) -> tuple[str, str]:
    """Two French road reference points (PR) 0.6-2.5 km apart."""
    a = rng.randint(2, 38) * 1000 + rng.randint(0, 9) * 100
    b = a + rng.randint(6, 25) * 100
    return f"{a // 1000}+{a % 1000:03d}", f"{b // 1000}+{b % 1000:03d}"


@dataclass
class RoadStage:
    """One `road_event` line, plus what the story needs to write posts about it."""

    at: int
    record: dict
    spec: RoadSpec
    kind: str  # event type or "ended"


def build_road_events(communes: dict[str, Commune], rng: random.Random,
                      last_second: int) -> list[RoadStage]:
    """Every stage of every road event, as dicts ready for JSON, none after `last_second`."""
    out: list[RoadStage] = []
    for n, spec in enumerate(SPECS, start=1):
        rid = f"r{n:03d}"
        geom = road_line(communes[spec.commune], rng)
        pr_a, pr_b = _pr(rng)
        start = spec.stages[0][0] * 60 + rng.randint(-90, 90)
        last_type = spec.stages[0][1]
        for minute, kind in spec.stages:
            at = minute * 60 + rng.randint(-90, 90) if (minute, kind) != spec.stages[0] else start
            at = min(at, last_second)
            rec = {
                "type": "road_event", "at": at, "id": rid, "road": spec.road,
                "event_type": last_type if kind == "ended" else kind,
                "status": "ended" if kind == "ended" else "active",
                "commune": spec.commune,
                "description": describe(spec, kind, pr_a, pr_b, rng, last_type),
                "detour": spec.detour, "direction": spec.direction,
                "starts_offset": start,
            }
            if kind == "ended":
                rec["ends_offset"] = at
                del rec["detour"]
            rec["geometry"] = geom
            out.append(RoadStage(at=at, record=rec, spec=spec, kind=kind))
            if kind != "ended":
                last_type = kind
    return out


def is_street(road: str) -> bool:
    """A city street ("Avenue du Lac") rather than a numbered road (D905, A38, N274)."""
    return not re.fullmatch(r"[ADN]\d+[A-Z]?", road)


def masculine(road: str) -> bool:
    return road.split(" ")[0].lower() in ("quai", "boulevard", "cours", "pont", "chemin")


def agree(road: str, word: str) -> str:
    """'coupée' -> 'coupé' for a masculine street name; numbered roads are 'la route'."""
    return word.replace("ée", "é").replace("erte", "ert") if masculine(road) else word


def describe(spec: RoadSpec, kind: str, pr_a: str, pr_b: str, rng: random.Random,
             last: str = "closure") -> str:
    """The operator's wording of a stage; `last` is the type an "ended" line closes."""
    where = spec.section if is_street(spec.road) else (
        f"{spec.section} (PR {pr_a} à PR {pr_b})" if kind == "ended"
        else f"{spec.section}, du PR {pr_a} au PR {pr_b}")
    if kind == "ended":
        if last != "closure":
            end = {"restriction": "fin des restrictions", "incident": "incident terminé",
                   "works": "fin des travaux d'urgence", "detour": "fin de l'itinéraire de "
                   "déviation"}[last]
            return f"{spec.road} : {end} {where}, circulation normale rétablie."
        return (f"{spec.road} {agree(spec.road, 'rouverte')} {where} après décrue. "
                + rng.choice(["Prudence : boue et débris sur la chaussée.",
                              "Chaussée nettoyée, vigilance maintenue.",
                              "Circulation rétablie dans les deux sens."]))
    verb = agree(spec.road, rng.choice(VERBS[kind]))
    return f"{spec.road} {verb} {where} : {spec.reason}."
