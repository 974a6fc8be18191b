"""Sentence banks for the citizen posts of the exercise, one bank per category.

Templates use `{slot}` fields filled by `fill()`: c (commune), c2 (another, dry commune), r / R /
dr (river: "l'Ouche", "L'Ouche", "de l'Ouche"), rue, road, age, cm, hrs, n, host, shelter, link,
demo (inhabitants' name). A template that names a river is skipped for runoff-only places.
Several banks compose a text from parts (opener + situation + detail + appeal) so that two
posts rarely read the same.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class T:
    """A template, the categories it adds to its bank's category, and when it can be said:
    "any" time, while the water "rise"s at that place, once it "fall"s, or "late" in the
    crisis (after the first two hours)."""

    text: str
    cats: tuple[str, ...] = ()
    phase: str = "any"


def _t(text: str, *cats: str, phase: str = "any") -> T:
    return T(text, cats, phase)


def phases(hours: float, peak_h: float | None) -> set[str]:
    """Which template phases fit a post at `hours` about a place whose flood peaks at peak_h."""
    ok = {"any"}
    if hours >= 1.8:
        ok.add("late")
    if peak_h is None or hours < peak_h:
        ok.add("rise")
    if peak_h is not None and hours > peak_h + 0.3:
        ok.add("fall")
    return ok


def uses_river(text: str) -> bool:
    return any(s in ("r", "R", "dr") for s in SLOT.findall(text))


def places_in(text: str, slots: dict[str, str]) -> list[str]:
    """Communes a template names, in order, without repeats."""
    out: list[str] = []
    for name in SLOT.findall(text):
        if name in ("c", "c2", "host") and slots.get(name) and slots[name] not in out:
            out.append(slots[name])
    return out


def choose(bank: list[T], slots: dict[str, str], rng: random.Random,
           ok: set[str] | None = None) -> T:
    """A template that fits the place (river or not) and the moment (`ok` phases)."""
    usable = [t for t in bank if (slots.get("r") or not uses_river(t.text))
              and (ok is None or t.phase in ok)]
    return rng.choice(usable)


ELIDE = re.compile(r"\b([Dd])e (?=[AEIOUYÉÈÊÂÎÔ][a-zéèêàâîôûç])")


def french(text: str) -> str:
    """Elide and contract around commune names: 'de Auxonne' -> "d'Auxonne",
    'à Les Maillys' -> 'aux Maillys'."""
    text = ELIDE.sub(r"\1'", text)
    for a, b in (("à Les ", "aux "), ("À Les ", "Aux "), ("de Les ", "des "), ("De Les ", "Des ")):
        text = text.replace(a, b)
    return text


def fill(text: str, slots: dict[str, str]) -> str:
    out = french(SLOT.sub(lambda m: slots.get(m.group(1), ""), text))
    out = re.sub(r" {2,}", " ", out).strip()
    return out[:1].upper() + out[1:] if out and out[0].isalpha() else out


# --- help requests ---------------------------------------------------------------------------

HELP_OPENERS = ["", "", "", "URGENT", "Au secours", "SVP", "Aidez-nous", "@SDIS21", "🆘",
                "Appel à l'aide", "Besoin d'aide urgent", "SOS", "Help", "Urgent svp"]

HELP_FIRST = [
    "on est bloqués à l'étage {rue} à {c}, l'eau arrive en haut de l'escalier",
    "on est coincés sur le toit du garage {rue} à {c}",
    "l'eau monte super vite chez nous à {c}, déjà {cm} cm dans le salon",
    "on est 4 dont un bébé de 8 mois, bloqués au premier {rue} ({c})",
    "impossible de sortir de la maison, la rue est un torrent. {c}, {rue}",
    "on a de l'eau jusqu'à la taille au rez-de-chaussée à {c}",
    "notre maison est encerclée par l'eau à {c}, plus de courant, plus de chauffage",
    "on est dans la voiture sur la {road} vers {c}, l'eau monte autour, on n'ose pas sortir",
    "on est réfugiés dans le grenier {rue} à {c} avec les enfants",
    "mon mari est diabétique et on n'a plus d'insuline, on est bloqués par l'eau à {c}",
    "on est encerclés par {r} à {c}, la cour est devenue une rivière",
    "l'eau passe sous la porte et par les bouches d'aération, {rue} à {c}",
    "le rez-de-chaussée est noyé, on est montés avec le chien, {c} {rue}",
    "on habite au bord {dr} à {c} et on ne peut plus partir, la route est coupée",
]

WHO = [
    ("ma mère de {age} ans", "fs"), ("mon père ({age} ans)", "ms"), ("ma grand-mère", "fs"),
    ("mon grand-père de {age} ans", "ms"), ("une voisine âgée", "fs"),
    ("un voisin de {age} ans", "ms"),
    ("mes grands-parents", "mp"), ("une famille avec deux enfants", "fs"),
    ("un couple de personnes âgées", "ms"), ("une dame en fauteuil roulant", "fs"),
    ("un monsieur handicapé", "ms"), ("ma sœur et ses 3 enfants", "fp"), ("mes parents", "mp"),
    ("une femme enceinte", "fs"), ("des voisins", "mp"), ("ma tante qui vit seule", "fs"),
    ("mon oncle", "ms"), ("une mamie de {age} ans", "fs"), ("deux personnes âgées", "fp"),
    ("mon frère", "ms"), ("une maman seule avec un nourrisson", "fs"),
]

AGREE = {
    "ms": {"e": "", "s": "", "est": "est", "a": "a", "lui": "lui", "sa": "sa", "peut": "peut",
           "attend": "attend", "repond": "répond"},
    "fs": {"e": "e", "s": "", "est": "est", "a": "a", "lui": "elle", "sa": "sa", "peut": "peut",
           "attend": "attend", "repond": "répond"},
    "mp": {"e": "", "s": "s", "est": "sont", "a": "ont", "lui": "eux", "sa": "leur",
           "peut": "peuvent", "attend": "attendent", "repond": "répondent"},
    "fp": {"e": "e", "s": "s", "est": "sont", "a": "ont", "lui": "elles", "sa": "leur",
           "peut": "peuvent", "attend": "attendent", "repond": "répondent"},
}

STATES = [
    "[est] bloqué[e][s] au premier étage {rue} à {c}",
    "[est] coincé[e][s] chez [lui] à {c}, l'eau est entrée dans la maison",
    "ne [peut] pas monter à l'étage et l'eau monte ({c}, {rue})",
    "[est] réfugié[e][s] sur le toit {rue}, {c}",
    "[est] seul[e][s] à {c} et ne [repond] plus au téléphone depuis {hrs}",
    "[a] de l'eau jusqu'aux genoux dans la maison à {c}",
    "[attend] les secours depuis {hrs} à {c}, {rue}",
    "[est] bloqué[e][s] dans [sa] voiture sur la {road} près de {c}",
    "[est] sans électricité ni chauffage à {c}, l'eau entoure la maison",
    "[est] coincé[e][s] au rez-de-chaussée {rue} à {c}, impossible de monter l'escalier",
]

HELP_DETAILS = [
    "", "", "l'eau monte encore", "plus de batterie bientôt", "le 18 sonne occupé",
    "le 112 ne répond pas", "les pompiers sont prévenus mais rien depuis {hrs}",
    "on a appelé le 18 il y a 40 min", "besoin de médicaments", "c'est très urgent",
    "il fait très froid", "on ne sait plus quoi faire",
    "on voit passer des barques mais personne ne s'arrête",
    "le courant est coupé", "on entend l'eau qui monte dans la cave",
]

HELP_APPEALS = [
    "", "", "Partagez svp", "RT svp", "Si quelqu'un a une barque…",
    "Si quelqu'un est sur place allez voir svp", "Merci de partager",
    "Quelqu'un peut prévenir les pompiers ?", "@SDIS21 @Prefet21", "Aidez-nous",
    "Faites tourner", "Quelqu'un à côté ?",
]

HELP_SPECIAL = [
    _t("EHPAD de {c} : le rez-de-chaussée est inondé, le personnel demande de l'aide pour monter "
       "les résidents à l'étage. Qui est dispo à côté ?", "evacuation_shelter"),
    _t("À {c} les bêtes sont dans l'eau jusqu'au ventre, besoin de bras et d'un tracteur pour "
       "sortir les vaches du pré le long {dr}. Appelez la mairie"),
    _t("Camping de {c} : des campeurs bloqués par l'eau, des enfants, ils ne peuvent plus sortir "
       "par la route", "evacuation_shelter"),
    _t("Un bus bloqué sur la route inondée à l'entrée de {c}, des passagers à l'intérieur, l'eau "
       "arrive aux marches !!", "roads_traffic"),
    _t("Une dame sous dialyse bloquée chez elle à {c}, {rue}, elle doit aller à l'hôpital "
       "aujourd'hui. Comment faire ? @SDIS21"),
    _t("Des enfants de la MJC de {c} bloqués dans le bâtiment avec les animateurs, l'eau entoure "
       "tout. Ils vont bien mais il faut les sortir"),
    _t("Mon père est sous oxygène à {c} et plus d'électricité. Il reste {nb} heures de batterie "
       "sur son concentrateur. URGENT", "infrastructure"),
    _t("Quelqu'un a une barque à {c} ? Des gens appellent au secours depuis leur fenêtre {rue}"),
    _t("Le niveau monte dans la maison de retraite {rue} à {c}, ils ont besoin de bras pour "
       "porter les résidents", "evacuation_shelter"),
    _t("Un homme accroché à un arbre dans {r} à {c} !!! Les pompiers sont prévenus ?",
       "casualties"),
]

HELP_NOPLACE = [
    "l'eau monte dans la maison on est à l'étage avec les enfants, aidez nous",
    "on est bloqués, plus de courant, l'eau est à mi-hauteur de la porte. Les pompiers ne "
    "répondent pas",
    "ma grand-mère est seule chez elle et l'eau rentre, elle ne peut pas marcher, qui peut aider",
    "coincés sur le toit de la voiture, l'eau monte, on a appelé le 112",
    "on a {cm} cm d'eau au rez-de-chaussée et ça monte encore, on fait quoi ???",
    "voisin âgé bloqué, il tape à la fenêtre, on ne peut pas aller jusqu'à lui, trop de courant",
]


def help_request(rng: random.Random, slots: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """A call for help: composed (most) or one of the special situations."""
    roll = rng.random()
    if roll < 0.22:
        t = choose(HELP_SPECIAL, slots, rng)
        return t.text, t.cats
    if roll < 0.55:
        body = rng.choice([b for b in HELP_FIRST if slots.get("r") or not uses_river(b)])
    else:
        who, g = rng.choice(WHO)
        state = rng.choice(STATES)
        for k, v in AGREE[g].items():
            state = state.replace(f"[{k}]", v)
        body = f"{who} {state}"
    parts = [rng.choice(HELP_OPENERS), body]
    detail = rng.choice(HELP_DETAILS)
    text = " ".join(p for p in parts if p)
    if detail:
        text += rng.choice([", ", ". ", " - ", " !! "]) + detail
    appeal = rng.choice(HELP_APPEALS)
    if appeal:
        text += rng.choice([". ", " ", "\n"]) + appeal
    cats: tuple[str, ...] = ()
    if "voiture" in body or "{road}" in body:
        cats = ("roads_traffic",)
    return text, cats


# --- infrastructure --------------------------------------------------------------------------

INFRA = [
    _t("Plus d'électricité à {c} depuis {hrs}, tout le quartier {rue} est dans le noir"),
    _t("Coupure de courant générale à {c}, quelqu'un a des infos ? @Enedis_BFC"),
    _t("Plus de réseau mobile à {c}, on capte à peine, impossible de joindre la famille"),
    _t("Réseau Orange HS à {c} depuis la montée des eaux, les SMS passent une fois sur deux"),
    _t("Plus d'eau au robinet à {c}, juste un filet marron"),
    _t("Le pont de {c} est fermé, on voit des troncs bloqués contre les piles et le parapet "
       "a bougé", "roads_traffic"),
    _t("La passerelle sur {r} à {c} vient d'être emportée 😳"),
    _t("Les égouts débordent {rue} à {c}, ça remonte par les bouches d'égout"),
    _t("Internet et téléphone fixe coupés à {c} (box HS), on a juste la 4G par moments"),
    _t("Le transformateur {rue} à {c} est sous l'eau, il y a eu des étincelles tout à l'heure"),
    _t("Plus de gaz à {c}, coupé par sécurité d'après les voisins"),
    _t("La station d'épuration de {c} est complètement noyée"),
    _t("Feux tricolores en panne dans tout le centre de {c}, prudence aux carrefours",
       "roads_traffic"),
    _t("Le parking souterrain de {c} est entièrement noyé, des dizaines de voitures dedans"),
    _t("Le mur de soutènement {rue} s'est effondré à {c}, la chaussée est fissurée",
       "roads_traffic"),
    _t("Toujours pas de courant à {c}, le congélateur va lâcher… des nouvelles @Enedis_BFC ?"),
    _t("Antenne relais en panne à {c} ? Plus aucun réseau chez Free ni chez SFR"),
    _t("Le pont {dr} à {c} est fermé par les gendarmes, l'eau touche le tablier",
       "roads_traffic"),
    _t("Plus de chauffage ni d'eau chaude à {c}, la chaufferie collective est inondée"),
    _t("La mairie de {c} fonctionne sur groupe électrogène, le standard ne répond plus"),
    _t("Poteau électrique couché {rue} à {c}, câbles dans l'eau !! N'approchez pas",
       "caution_advice"),
    _t("Le réseau d'eau potable de {c} a été coupé par précaution, on nous dit d'attendre"),
]


# --- roads (citizens) ------------------------------------------------------------------------

ROAD_CLOSED = [
    "{road} coupée à {c}, faites demi-tour, ça ne passe plus",
    "Ne prenez pas la {road} vers {c}, la route est sous l'eau",
    "Des voitures arrêtées au milieu de l'eau sur la {road} à {c}, les gens sont fous",
    "La {road} entre {c} et le village d'à côté est-elle encore praticable ? je dois rentrer",
    "Gendarmes qui bloquent la {road} à l'entrée de {c}",
    "Déviation n'importe quoi à {c}, tous les camions passent dans le village",
    "GPS qui envoie tout le monde sur la {road} alors qu'elle est coupée à {c} 🤦",
    "Barrières sur la {road} à {c}, un gars a voulu passer quand même et il est resté planté",
    "{road} fermée à {c}, il y a au moins 50 cm d'eau sur la route",
    "Quelqu'un sait par où passer pour rejoindre {c} ? la {road} est fermée",
    "Bouchon de 3 km à cause de la déviation de la {road} à {c}",
    "Mon bus scolaire ne passe plus par {c}, la {road} est coupée",
    "Info trafic : {road} impraticable au niveau de {c}, passez par l'autoroute",
]
ROAD_REOPENED = [
    "C'est bon, la {road} est rouverte à {c} 👍",
    "{road} rouverte à {c}, mais il y a de la boue partout, roulez doucement",
    "Enfin ! On peut repasser par la {road} à {c}",
    "La {road} est de nouveau ouverte à {c}, les services du département nettoient encore",
]
# For streets in Dijon ({le_road}: "l'avenue du Lac", {e}: agreement of "fermé").
CITY_CLOSED = [
    "{Le_road} est fermé{e}, l'eau passe sur la chaussée, évitez le secteur",
    "Police qui bloque {le_road} à Dijon, tout le monde fait demi-tour",
    "Ne passez pas par {le_road}, c'est inondé sur 200 m",
    "{Le_road} coupé{e} à Dijon, bouchon jusqu'à la place de la République",
]
CITY_REOPENED = [
    "{Le_road} est rouvert{e} à Dijon, il reste de la boue",
    "Ça circule de nouveau sur {le_road} 👍",
]

ROAD_GENERAL = [
    _t("Quelqu'un sait si l'A31 est ouverte entre Dijon et Beaune ?"),
    _t("A38 au pas vers Dijon, une voie fermée à hauteur de Plombières-lès-Dijon"),
    _t("Rocade de Dijon saturée, toutes les routes de la plaine sont coupées"),
    _t("1h pour faire Longvic - Quetigny, la rocade est bloquée"),
    _t("Les routes autour de {c} sont presque toutes coupées, on est coupés du monde"),
    _t("On est bloqués sur l'aire de repos de l'A39, pas moyen de sortir vers Genlis"),
    _t("Pour ceux qui vont vers {c} : évitez la plaine, tout est inondé"),
    _t("Les transports scolaires sont annulés sur le secteur de {c}", "other_relevant"),
    _t("Gros nid de poule et chaussée défoncée après le passage de l'eau à {c}",
       "infrastructure"),
    _t("Taxi bloqué à {c}, je ne prends plus de courses vers la plaine, désolé"),
    _t("Plus de bus Divia entre Dijon et Longvic ? j'attends depuis 40 min",
       "infrastructure"),
]


# --- evacuation and shelters (citizens) ------------------------------------------------------

EVAC = [
    _t("Les pompiers évacuent toute la {rue} à {c}, on part avec juste nos papiers"),
    _t("On vient d'être évacués en barque à {c}, direction {le_shelter}"),
    _t("Arrivés {au_shelter}, super accueil des bénévoles, merci ❤️", "solidarity"),
    _t("Quelqu'un sait si on peut venir avec son chien {au_shelter} ?"),
    _t("Ils évacuent l'EHPAD de {c}, des bus sont là avec les pompiers"),
    _t("Police qui passe avec un mégaphone à {c} : il faut partir maintenant"),
    _t("Plus de place {au_shelter}, on nous envoie ailleurs ?", phase="late"),
    _t("Mes voisins refusent d'évacuer à {c} malgré les pompiers… j'ai peur pour eux",
       "help_request"),
    _t("Familles évacuées de {c} : il manque des couches et du lait infantile {au_shelter}",
       "solidarity"),
    _t("On a dormi 2h sur un lit picot {au_shelter}, on ne sait pas quand on pourra rentrer",
       phase="fall"),
    _t("Évacuation de la {rue} à {c} terminée d'après les pompiers, ils passent maison par "
       "maison"),
    _t("Évacués de {c}, on est chez ma sœur à {c2}. La maison a {cm} cm d'eau d'après les voisins"),
    _t("Où est le centre d'hébergement pour les gens de {c} ? personne ne sait nous dire"),
    _t("Gendarmes au porte-à-porte à {c}, ils demandent à tout le monde de partir",
       "caution_advice"),
    _t("On nous a évacués de {c} sans nos médicaments, il y a un médecin {au_shelter} ?",
       "help_request"),
    _t("{au_shelter} ils ont mis des matelas partout, des enfants dorment, ambiance calme"),
    _t("Évacuation préventive de l'école de {c}, les enfants sont à l'abri à la salle des fêtes"),
    _t("Ils ont ouvert {le_shelter} pour les sinistrés de {c} et alentours"),
]


# --- caution and advice (citizens) -----------------------------------------------------------

CAUTION_CIT = [
    _t("Sérieux arrêtez d'aller faire des photos sur le pont de {c}, les pompiers ont autre "
       "chose à faire"),
    _t("Ne prenez pas la voiture les gens, j'ai vu une voiture flotter à {c}", "roads_traffic"),
    _t("Rappel : on ne traverse pas une route inondée, même en 4x4. Même 30 cm ça emporte"),
    _t("Si vous êtes en zone inondable à {c}, montez vos voitures sur les hauteurs"),
    _t("Pensez à monter papiers, médicaments et chargeurs à l'étage, ça monte vite à {c}"),
    _t("Pensez à vos voisins âgés à {c}, allez frapper chez eux"),
    _t("Les gamins qui font du kayak sur {r} à {c}, c'est de l'inconscience pure"),
    _t("Coupez l'électricité au disjoncteur avant que l'eau arrive, conseil d'un électricien"),
    _t("N'allez pas chercher vos gosses à l'école, ils sont en sécurité, les routes sont "
       "dangereuses"),
    _t("N'appelez le 18 que si c'est vraiment urgent, les lignes sont saturées"),
    _t("Écoutez la radio locale, c'est le plus fiable, les réseaux c'est n'importe quoi "
       "aujourd'hui"),
    _t("Ne descendez surtout pas dans les caves et les parkings souterrains !"),
    _t("Les curieux sur les berges à {c} : reculez, les berges s'effondrent"),
    _t("Gardez votre téléphone chargé et une lampe sous la main, coupures de courant à {c}",
       "infrastructure"),
]


# --- solidarity ------------------------------------------------------------------------------

SOLIDARITY = [
    _t("J'ai une chambre libre à {c2} pour une famille sinistrée, écrivez-moi en MP"),
    _t("On peut héberger 2 adultes + 1 enfant à {c2}, animaux acceptés 🐶"),
    _t("J'ai un 4x4 et une remorque, dispo pour aider à {c}, contactez-moi"),
    _t("Tracteur dispo à {c} pour sortir les bêtes ou les voitures, la mairie a mon numéro"),
    _t("Distribution de sacs de sable aux services techniques de {c}, venez avec une pelle"),
    _t("Besoin de bras pour remplir des sacs de sable à {c}, rdv devant la mairie"),
    _t("Collecte de vêtements, couvertures et produits d'hygiène {au_shelter}"),
    _t("La boulangerie de la {rue} à {c} offre du pain aux sinistrés et aux pompiers"),
    _t("Repas chauds offerts aux évacués et aux secours dans mon resto à {c2}, passez"),
    _t("J'ai une pompe vide-cave et un groupe électrogène, je peux prêter sur {c}"),
    _t("Infirmière à la retraite, je suis dispo {au_shelter} si besoin"),
    _t("Mon garage est vide à {c2}, si quelqu'un a besoin de stocker des meubles"),
    _t("Qui peut prêter une pompe à {c} ? la cave est pleine jusqu'au plafond"),
    _t("On cherche des bottes, pelles et raclettes pour nettoyer à {c}", phase="fall"),
    _t("{le_shelter} manque de couvertures et de lait infantile, qui peut déposer ?"),
    _t("Quelqu'un pour accueillir 2 chevaux ? Notre pré est inondé à {c}"),
    _t("Besoin de croquettes et de litière pour les animaux des évacués {au_shelter}"),
    _t("Cherche hébergement pour une maman et 2 enfants évacués de {c}, quelques jours"),
    _t("Je fais des allers-retours en camionnette entre {c2} et {c} pour déménager les meubles "
       "des sinistrés, gratuit bien sûr"),
    _t("Électricien à {c2}, je viens vérifier gratuitement les installations des sinistrés",
       phase="fall"),
    _t("Appel aux bénévoles : nettoyage des maisons inondées à {c}, rdv à la salle des fêtes",
       phase="fall"),
    _t("Je peux garder des enfants à {c2} pendant que les parents sauvent leurs affaires"),
    _t("Des habitants de {c2} préparent des sandwichs pour les sinistrés de {c} 🥪"),
    _t("Cagnotte pour une famille de {c} qui a tout perdu dans l'inondation : {link}"),
    _t("Agriculteur à {c2}, j'ai de la paille et du foin pour les éleveurs sinistrés"),
    _t("Qui a une barque et sait s'en servir ? La mairie de {c} cherche des volontaires"),
    _t("Proposition d'hébergement : grand appartement à {c2}, 3 couchages, dès maintenant"),
    _t("Le club de foot de {c2} ouvre son club-house pour les familles évacuées"),
]


# --- sympathy --------------------------------------------------------------------------------

SYMPATHY = [
    _t("Courage à tous les {demo} 💙"),
    _t("Pensées pour les habitants de {c}, c'est terrible ce qui arrive"),
    _t("Merci aux pompiers du #SDIS21, vous êtes incroyables"),
    _t("Je suis de {c}, voir ma ville sous l'eau ça me fend le cœur"),
    _t("Toute mon amitié aux sinistrés de Côte-d'Or, de la part d'une Lyonnaise"),
    _t("Bravo aux bénévoles de la Croix-Rouge et de la Protection civile 👏"),
    _t("Ma famille est à {c}, ils vont bien mais la maison est inondée. Courage à tous"),
    _t("Tenez bon les {demo} 💪"),
    _t("Merci aux agents de la métropole et d'Enedis qui bossent sous la pluie depuis des heures"),
    _t("Les images de {c} sont impressionnantes, courage à vous"),
    _t("De tout cœur avec les gens de {c} et de la vallée {dr}"),
    _t("Respect aux gendarmes qui font le porte-à-porte à {c}"),
    _t("Quelle solidarité à {c}, ça fait chaud au cœur ❤️", phase="late"),
    _t("Pensée pour ceux qui ont tout perdu aujourd'hui à {c}… et merci aux secours", phase="late"),
    _t("Courage à la Côte-d'Or, on pense à vous depuis la Bretagne"),
    _t("Grosse pensée pour les agriculteurs de la plaine, les récoltes sont perdues"),
    _t("Je suis partie de {c} il y a 10 ans, le cœur serré de voir ma rue sous l'eau"),
    _t("Merci aux bénévoles {du_shelter}, on a été accueillis comme des rois", phase="late"),
]

DEMONYMS = {
    "Dijon": "Dijonnais", "Genlis": "Genlisiens", "Auxonne": "Auxonnais",
    "Beaune": "Beaunois", "Semur-en-Auxois": "Semurois", "Montbard": "Montbardois",
    "Saint-Jean-de-Losne": "Losnais", "Châtillon-sur-Seine": "Châtillonnais",
    "Plombières-lès-Dijon": "Plombiérois", "Longvic": "Longviciens",
    "Is-sur-Tille": "Is-sur-Tillois", "Nuits-Saint-Georges": "Nuitons",
    "Chenôve": "Cheneveliers", "Seurre": "Seurrois", "Talant": "Talantais",
}


# --- other relevant (observations) -----------------------------------------------------------

OBSERVE = [
    _t("{R} est sortie de son lit à {c}, les prés sont un lac"),
    _t("Jamais vu {r} aussi haute en {n} ans à {c}"),
    _t("+{rise} cm en une heure sur {r} à {c}, ça monte vite", phase="rise"),
    _t("Photos de la crue à {c} 📸 {link}"),
    _t("Il pleut sans discontinuer depuis 2 jours sur {c}"),
    _t("Les pompiers passent en barque {rue} à {c}"),
    _t("L'hélico de la Sécurité civile tourne au-dessus de {c} depuis 20 min"),
    _t("Des poissons dans la {rue} à {c} 😳"),
    _t("Mon grand-père parlait de la crue de 1955 à {c}, on y est presque"),
    _t("Marché de {c} annulé demain à cause des inondations"),
    _t("Vidéo de {r} en furie sous le pont de {c} {link}"),
    _t("Des troncs d'arbres entiers descendent {r} à {c}"),
    _t("Les jardins ouvriers de {c} sont complètement sous l'eau"),
    _t("Les camions de pompiers de l'Yonne et du Jura arrivent en renfort à {c}", phase="late"),
    _t("À {c} l'eau a atteint la deuxième marche de l'église, du jamais vu"),
    _t("Le terrain de foot de {c} est devenu un étang 🦆"),
    _t("Ça sent le fioul partout dans la {rue} à {c}, des cuves ont dû se renverser",
       "infrastructure"),
    _t("Quelqu'un a des nouvelles de {c} ? On ne voit rien sur les infos"),
    _t("Drone au-dessus de {c} : tout le bas du village est sous l'eau {link}"),
    _t("Les écoles de {c} restent fermées demain d'après le groupe des parents"),
    _t("L'eau commence à baisser à {c}, on voit la trace sur les murs, {cm} cm", phase="fall"),
    _t("Les pompiers ont sorti un chien coincé sur un abri de jardin à {c} 🐕", phase="late"),
    _t("À {c} les cloches ont sonné le tocsin, comme dans le temps"),
    _t("Record battu pour {r} à {c} selon les anciens du village", phase="late"),
]

OBSERVE_DIJON = [
    _t("Le parc de la Colombière est sous l'eau, l'Ouche a envahi les allées"),
    _t("Le lac Kir est plein à ras bord, l'eau passe sur la promenade"),
    _t("Port du Canal inondé, les péniches sont au niveau du quai", phase="late"),
    _t("L'Ouche sous le pont de la rue de Longvic, impressionnant {link}"),
    _t("Match du DFCO reporté, le parking du stade Gaston-Gérard est inondé", phase="late"),
    _t("Tram T2 à l'arrêt à Dijon, on marche, la rue est une rivière", "infrastructure",
       phase="late"),
    _t("Le CHU Dijon Bourgogne a déclenché le plan blanc d'après un ami infirmier",
       "casualties", phase="late"),
    _t("Fontaine d'Ouche : l'eau monte dans les parkings au pied des immeubles", phase="late"),
]


# --- casualties (citizens) -------------------------------------------------------------------

CASUALTY = [
    _t("Un homme blessé à {c}, il s'est fait emporter en voulant récupérer sa voiture, les "
       "pompiers l'ont sorti"),
    _t("Mon voisin s'est ouvert la jambe sur des débris en évacuant, le SAMU arrive à {c}"),
    _t("Une dame âgée en hypothermie secourue à {c}, emmenée au CHU"),
    _t("Un pompier blessé pendant un sauvetage à {c} d'après les voisins"),
    _t("Ambulance bloquée par l'eau à {c}, ils ont dû porter le blessé à pied",
       "roads_traffic"),
    _t("On parle de plusieurs morts à Dijon, quelqu'un confirme ??", "other_relevant"),
    _t("Un jeune électrocuté dans sa cave à {c}, il est conscient, transporté à l'hôpital",
       "infrastructure"),
    _t("Accident sur la route inondée à {c}, un motard a chuté, SAMU sur place",
       "roads_traffic"),
    _t("Mon père est tombé dans l'escalier en montant les meubles à {c}, on attend le 15",
       "help_request"),
    _t("Un enfant légèrement blessé à {c}, un mur s'est effondré dans la cour"),
    _t("Un kayakiste a été repêché inconscient dans {r} à {c}"),
]


# --- noise -----------------------------------------------------------------------------------

NOISE_FR = [
    "Allez le DFCO ! Qui vient samedi à Gaston-Gérard ? ⚽",
    "Quel arbitrage hier soir… on s'est fait voler le match",
    "JDA Dijon basket, quelle victoire !! 🏀",
    "Recette du jour : bœuf bourguignon mijoté 3h, le secret c'est un bon vin de Côte de Nuits",
    "Œufs en meurette ce midi, rien de mieux 🤤",
    "Mes gougères ont enfin levé !! après 3 tentatives 😂",
    "Dégustation de Premier Cru à Nuits-Saint-Georges ce week-end 🍷 qui est chaud ?",
    "Le grand cru de Gevrey 2019 est une merveille, mais quel prix",
    "Recette de saumon cru mariné au citron vert, super facile",
    "Inondation dans ma salle de bain, le voisin du dessus a laissé couler son bain 🙄",
    "-30% sur toute la literie ce week-end chez MeublesPlus Quetigny !",
    "Concours : gagnez un panier garni moutarde et pain d'épices, RT + follow pour participer",
    "Besoin d'un plombier sur Dijon ? Devis gratuit en 24h {link}",
    "Vends vélo électrique TBE, Dijon, 600€ à débattre",
    "Trop hâte des vacances, plus que 3 semaines",
    "Qui regarde la finale ce soir ? 🍿",
    "Bouchons sur le périph parisien comme d'habitude",
    "Grand soleil à Marseille, 24 degrés, désolé pour vous les Bourguignons 😎",
    "Je cherche un bon garage pas cher vers Chenôve, des idées ?",
    "Le nouveau resto japonais rue de la Liberté est top",
    "Mon chat a encore vomi sur le canapé 😩",
    "Soldes sur les bottes de pluie 🌧️ -50% en magasin, c'est le moment !",
    "Concert à La Vapeur samedi, quelqu'un a une place en trop ?",
    "Journée portes ouvertes à l'université de Bourgogne samedi",
    "Inondation de promos chez votre opticien : 2e paire offerte !!",
    "Les Fêtes de la vigne reviennent cette année, trop content",
    "Un bon kir pour finir la journée 🥂",
    "Quelqu'un sait si la piscine olympique est ouverte dimanche ?",
    "Perdu mes clés vers la place Darcy, si quelqu'un les trouve 🙏",
    "Je déteste le lundi",
    "La moutarde de Dijon augmente encore, scandale",
    "Vente de vin au domaine ce week-end, -20% sur les crus 2021 🍷",
    "Avis aux gamers : tournoi ce soir au bar du centre",
    "Recrutement : agent d'entretien H/F, CDI, Beaune, envoyez CV {link}",
    "Mes tomates ont pris cher avec toute cette pluie 😭 le potager est foutu",
    "Le crû de l'année sera exceptionnel d'après mon oncle vigneron",
    "Série du moment : je suis à fond, 3 saisons en une semaine",
    "Encore une panne de la box… pas lié à la météo, juste mon opérateur 🙄",
]

NOISE_EN = [
    "Great wine tasting in Beaune today 🍷 the Hospices are stunning",
    "Anyone up for a game tonight? New season just dropped",
    "Best boeuf bourguignon I've ever had, Dijon you rock",
    "Flight to Lyon delayed again, classic",
    "Learning French is hard, why are there so many silent letters",
    "Just finished a 100 km ride, legs are dead 🚴",
    "Mustard shopping in Dijon, had to buy a second suitcase 😂",
    "Premier cru tasting was incredible, highly recommend the Côte de Nuits",
]


# --- English, relevant -----------------------------------------------------------------------

ENGLISH = [
    _t("We're stuck on our rental barge at the Saint-Jean-de-Losne marina, the Saône keeps "
       "rising. Harbour master says stay aboard?? Any advice?", "help_request"),
    _t("Our wine tour in Beaune got cancelled, streets are flooded near the ramparts. Stay safe "
       "everyone", "other_relevant"),
    _t("Is the A31 open between Dijon and Beaune? Trying to get to Lyon airport",
       "roads_traffic"),
    _t("Cycling the Canal de Bourgogne and the towpath near Velars-sur-Ouche is completely under "
       "water. Had to turn back", "roads_traffic"),
    _t("Thoughts with everyone in Burgundy affected by the floods 💙", "sympathy"),
    _t("Hotel staff in Dijon told us not to go out, the river Ouche has flooded the streets "
       "nearby", "caution_advice"),
    _t("Power has been out at our gîte near Semur-en-Auxois for 2 hours", "infrastructure"),
    _t("Flooding in Dijon, France right now. Insane footage {link}", "other_relevant"),
    _t("Does anyone know where the emergency shelter is in Dijon? We're British tourists and "
       "our Airbnb is flooded", "help_request", "evacuation_shelter"),
    _t("Just saw firefighters rescue a family by boat in Genlis. Incredible work 🙏",
       "other_relevant", "sympathy"),
    _t("Campsite at Saint-Jean-de-Losne evacuated, we're at the village hall with other Dutch "
       "and German campers", "evacuation_shelter"),
    _t("If you're a tourist caught in the Burgundy floods: emergency number is 112 (18 for "
       "firefighters). Don't drive through water!", "caution_advice"),
    _t("Trains between Dijon and Dole cancelled, is there a replacement bus?",
       "infrastructure"),
    _t("Can anyone offer a place to sleep near Beaune? Our campervan site is flooded",
       "help_request"),
    _t("Roads around Auxonne are all closed, we're stuck at a petrol station with two kids",
       "help_request", "roads_traffic"),
    _t("Amazing how locals are helping each other in Plombières-lès-Dijon, people bringing "
       "food and blankets", "solidarity"),
    _t("The Saône at Auxonne is the highest I've ever seen it, and I've lived here 12 years",
       "other_relevant"),
    _t("No phone signal in Is-sur-Tille, using hotel wifi. We're fine, water is in the street "
       "but not inside", "infrastructure"),
    _t("Can volunteers help at the shelter in Talant? Happy to lend a hand, I speak French",
       "solidarity"),
    _t("Our barge hire company says all boats on the canal must stay moored until further "
       "notice", "caution_advice"),
    _t("Stay off the roads in Côte-d'Or today, we saw a car floating near Genlis 😳",
       "caution_advice", "roads_traffic"),
    _t("Heavy rain for two days straight in Burgundy, rivers bursting everywhere",
       "other_relevant"),
    _t("Praying for the people of Dijon and the whole Côte-d'Or region 🙏", "sympathy"),
    _t("Our river cruise stopped at Auxonne, the crew says the Saône is too dangerous to "
       "sail", "other_relevant"),
    _t("Any news from Nuits-Saint-Georges? Our friends run a B&B there and aren't answering",
       "other_relevant"),
    _t("Roads closed everywhere around Semur-en-Auxois, the GPS keeps sending us into water",
       "roads_traffic"),
    _t("Volunteered at the shelter in Genlis today, people are exhausted but so grateful",
       "solidarity"),
    _t("Local advice in Dijon: don't drive, go upstairs, call 112 if you are in danger. "
       "Sharing for other visitors", "caution_advice"),
    _t("Power cut at our hotel in Beaune, staff are handing out candles and blankets",
       "infrastructure"),
    _t("Evacuated from our B&B in Seurre, staying with lovely locals for now. So kind",
       "evacuation_shelter", "solidarity"),
]

# Communes on high ground that offer shelter or help (never flooded in the story).
DRY = ["Talant", "Fontaine-lès-Dijon", "Ahuy", "Daix", "Hauteville-lès-Dijon",
       "Messigny-et-Vantoux", "Sennecey-lès-Dijon", "Perrigny-lès-Dijon", "Couternon",
       "Varois-et-Chaignot", "Sombernon", "Corcelles-les-Monts", "Savigny-lès-Beaune",
       "Flavigny-sur-Ozerain", "Clénay", "Asnières-lès-Dijon"]
