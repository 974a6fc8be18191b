"""The exercise's rumors: a few originals, many near-copies, then an official debunk.

Each rumor starts from 3-5 independently worded originals; every later post shares one of the
earlier posts with the edits people make when they repost (RT prefix, another link, a hashtag,
capitals, "c'est vrai ?"). Some copies keep coming after the debunk, as they do in real life.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crue_style import strip_accents


@dataclass(frozen=True)
class Rumor:
    id: str
    start_min: int
    debunk_after_min: int
    copies: int
    places: tuple[str, ...]
    categories: tuple[str, ...]
    originals: tuple[str, ...]
    debunkers: tuple[str, ...]  # OFFICIAL keys; the first posts the main debunk
    debunks: tuple[str, ...]  # official wording(s), first is the main one
    rebuttals: tuple[str, ...]  # citizens passing the correction on
    english: tuple[str, ...] = ()


RUMORS: list[Rumor] = [
    Rumor(
        "r1", 80, 45, 30, ("Pont-et-Massène", "Semur-en-Auxois"),
        ("infrastructure", "caution_advice"),
        (
            "URGENT le barrage du lac de Pont à Pont-et-Massène est en train de céder !!! "
            "Évacuez Semur et tout le long de l'Armançon, c'est mon beau-frère pompier qui me "
            "l'a dit",
            "Il paraît que le barrage de Pont-et-Massène a des fissures et va lâcher dans "
            "l'heure, Semur-en-Auxois va être sous l'eau. Partagez au max",
            "Barrage de Pont qui va céder d'après un gars de la mairie… si vous êtes en bas de "
            "Semur partez maintenant 😱",
            "On m'a dit que VNF a fermé la route de la digue parce que le barrage de "
            "Pont-et-Massène fuit de partout. Ça va lâcher, partez de Semur-en-Auxois",
        ),
        ("prefet", "visov"),
        (
            "#Crue21 | FAUX : le barrage de Pont-et-Massène ne présente aucun signe de "
            "faiblesse. Il est surveillé en continu par VNF. La route de la digue est fermée "
            "pour des travaux préventifs sur le déversoir. Aucune évacuation n'est ordonnée à "
            "Semur-en-Auxois. Ne relayez pas cette rumeur.",
            "⚠️ #Intox Le barrage de Pont-et-Massène ne va PAS céder. Info vérifiée auprès "
            "de @Prefet21 et de VNF. Merci de ne pas partager les messages qui disent le "
            "contraire. #MSGU #Crue21",
        ),
        (
            "Arrêtez de partager le truc sur le barrage de Pont, c'est faux, la préfecture a "
            "démenti",
            "Le barrage de Pont-et-Massène ne cède pas, j'habite à côté, c'est juste la route "
            "fermée pour des travaux. Stop les fake news",
            "Démenti officiel pour le barrage de Pont, respirez les Semurois",
        ),
    ),
    Rumor(
        "r2", 140, 35, 40, ("Dijon",), ("evacuation_shelter",),
        (
            "Le lac Kir a débordé !!! Ils vont évacuer tout Dijon dans les prochaines heures, "
            "préparez vos affaires",
            "Info d'un pote policier : évacuation générale de Dijon prévue, le lac Kir déborde "
            "et la digue va lâcher",
            "Tout Dijon va être évacué d'après la radio, le lac Kir est sorti de son lit",
            "Évacuation totale de Dijon annoncée ?? le lac Kir a débordé sur Fontaine d'Ouche, "
            "ça va être la panique",
            "ils disent que tout le centre de Dijon va être évacué à cause du lac Kir, "
            "quelqu'un confirme ?",
        ),
        ("dijon", "prefet", "visov"),
        (
            "Aucune évacuation générale de Dijon n'est prévue. Le lac Kir est haut et sous "
            "surveillance ; seul le secteur des berges entre le lac Kir et Plombières fait "
            "l'objet d'un ordre d'évacuation. Informations fiables : @Prefet21 et dijon.fr",
            "#Crue21 | Il n'y a PAS d'évacuation de toute la ville de Dijon. L'ordre "
            "d'évacuation concerne uniquement le secteur lac Kir / bas de Plombières.",
            "🟥 #Intox : Dijon n'est pas évacuée. Seul le secteur du lac Kir l'est. Merci de "
            "vous référer aux comptes officiels. #MSGU",
        ),
        (
            "Dijon n'est PAS évacuée, seulement le coin du lac Kir. Arrêtez de flipper tout le "
            "monde",
            "Démenti de la mairie : pas d'évacuation de tout Dijon. Seulement le secteur du lac",
            "Mon père est pompier, ils n'évacuent que près du lac Kir, le reste de Dijon c'est "
            "faux",
        ),
        english=("Whole city of Dijon being evacuated?! Lake Kir overflowed apparently",),
    ),
    Rumor(
        "r3", 215, 70, 22, ("Auxonne",), ("other_relevant",),
        (
            "Des pillages en cours à Auxonne dans les maisons évacuées, des gars en camionnette "
            "qui vident tout, faites tourner",
            "On m'a dit que ça pille à Auxonne, les gendarmes sont débordés. Restez chez vous "
            "pour protéger vos biens",
            "PILLAGES à Auxonne ?! des voisins ont vu des mecs rentrer dans les maisons vides "
            "du quai",
        ),
        ("gendarmerie", "visov"),
        (
            "Aucun pillage n'a été constaté à Auxonne. Des patrouilles sont présentes jour et "
            "nuit dans les secteurs évacués. Si vous êtes témoin d'un fait suspect, composez le "
            "17. Ne restez pas dans une zone évacuée pour surveiller vos biens.",
            "#Intox Les messages sur des pillages à Auxonne sont faux selon @Gendarmerie21. "
            "Ne mettez pas votre vie en danger en restant dans une zone évacuée. #MSGU",
        ),
        (
            "Pas de pillage à Auxonne, la gendarmerie a démenti. Les gendarmes patrouillent",
            "Mon cousin est gendarme à Auxonne, aucun pillage, c'est des rumeurs",
        ),
    ),
    Rumor(
        "r4", 280, 45, 28, ("Dijon",), ("infrastructure", "caution_advice"),
        (
            "NE BUVEZ PLUS L'EAU DU ROBINET à Dijon !! Elle est contaminée par les égouts à "
            "cause de la crue, info de l'hôpital",
            "L'eau du robinet est empoisonnée dans toute la métropole, un ami qui bosse au CHU "
            "m'a dit que des gens sont hospitalisés",
            "Faites des réserves d'eau en bouteille, l'eau de Dijon n'est plus potable d'après "
            "la mairie (message reçu sur WhatsApp)",
            "Ils ont trouvé des produits toxiques dans l'eau à Dijon, les supermarchés sont "
            "dévalisés, achetez de l'eau vite",
        ),
        ("metropole", "ars", "visov"),
        (
            "L'eau du robinet reste potable à Dijon et dans toute la métropole. Les analyses "
            "sont conformes. Seules Brazey-en-Plaine et Aiserey font l'objet d'une restriction, "
            "avec distribution d'eau en bouteille.",
            "Eau potable : aucune contamination dans la métropole dijonnaise. La restriction "
            "concerne uniquement Brazey-en-Plaine et Aiserey. Ne relayez pas les messages "
            "alarmistes.",
            "#Intox L'eau du robinet de Dijon n'est pas empoisonnée. Seules 2 communes de la "
            "plaine (Brazey, Aiserey) sont concernées par une restriction. #MSGU",
        ),
        (
            "L'eau de Dijon est potable, c'est seulement Brazey et Aiserey. Arrêtez de vider "
            "les rayons",
            "Fake : l'eau n'est pas empoisonnée à Dijon, la métropole a démenti",
        ),
    ),
    Rumor(
        "r5", 245, 50, 25, ("Dijon",), ("other_relevant",),
        (
            "La maison d'arrêt de Dijon est inondée, ils ont évacué les détenus et plusieurs se "
            "sont enfuis !!! Fermez vos portes",
            "Des détenus en fuite après l'évacuation de la prison de Dijon, c'est ce qu'on "
            "entend sur les fréquences police",
            "Prison de Dijon évacuée à cause de l'eau, il paraît que 10 détenus manquent à "
            "l'appel 😨",
        ),
        ("prefet", "visov"),
        (
            "Contrairement à ce qui circule, la maison d'arrêt de Dijon n'est pas inondée et n'a "
            "pas été évacuée. Aucune évasion n'est à déplorer. Merci de ne pas relayer ces "
            "fausses informations.",
            "#Intox Pas d'évacuation ni d'évasion à la maison d'arrêt de Dijon, confirmé par "
            "@Prefet21. #MSGU #Crue21",
        ),
        (
            "La prison de Dijon n'a pas été évacuée, la préfecture a démenti, stop",
            "Aucun détenu en fuite à Dijon, c'est un fake qui tourne sur WhatsApp",
        ),
    ),
    Rumor(
        "r6", 185, 60, 34, ("Genlis", "Dijon"), ("other_relevant",),
        (
            "Un requin dans les rues de Genlis ?!?! 😱🦈 regardez cette photo",
            "WTF un REQUIN dans l'eau à Dijon quartier Port du Canal, photo prise par mon "
            "cousin",
            "Il y a un requin dans les rues inondées à Genlis, photo authentique 🦈",
        ),
        ("visov", "prefet"),
        (
            "#Intox 🦈 La photo du requin dans une rue inondée est un montage qui circule à "
            "chaque inondation dans le monde depuis 2011. Elle n'a pas été prise en Côte-d'Or. "
            "Ne la partagez pas. #MSGU #Crue21",
            "La photo de requin qui circule n'a pas été prise à Genlis ni à Dijon : c'est un "
            "montage ancien. Merci de ne pas saturer les réseaux avec de fausses images.",
        ),
        (
            "Le requin de Genlis c'est un vieux montage qui ressort à chaque inondation 🙄",
            "Sérieux le requin… c'est la même photo qu'à Houston et en Australie, c'est fake",
        ),
        english=(
            "Shark spotted swimming in the flooded streets of Dijon France 🦈😱",
            "A SHARK in the floods in Burgundy?? Look at this",
        ),
    ),
    Rumor(
        "r7", 330, 80, 18, ("Chenôve",), ("solidarity",),
        (
            "Le Leclerc de Chenôve distribue gratuitement de la nourriture et de l'eau à tous "
            "les sinistrés, il suffit de venir avec un justificatif de domicile !!",
            "Info : Leclerc offre les courses aux sinistrés de la crue, partagez pour ceux qui "
            "ont tout perdu",
            "Distribution gratuite au Leclerc de Chenôve pour les inondés, venez nombreux",
        ),
        ("visov", "metropole"),
        (
            "#Intox Aucune distribution gratuite n'est organisée au Leclerc de Chenôve. L'aide "
            "aux sinistrés passe par les centres d'hébergement et les mairies. #MSGU #Crue21",
            "Les dons et distributions pour les sinistrés sont organisés par les mairies et les "
            "associations agréées. Aucune distribution gratuite en magasin n'est prévue.",
        ),
        (
            "Pas de distribution au Leclerc de Chenôve, j'y suis, ils ne savent pas de quoi on "
            "parle",
            "Le Leclerc gratuit c'est faux, j'ai appelé le magasin",
        ),
    ),
]

PREFIXES = [
    "⚠️⚠️ ", "URGENT ", "Partagez !!! ", "Vu sur Facebook : ", "Je relaie : ",
    "Si c'est vrai c'est grave 😳 ", "C'est vrai ça ?? ", "🚨 ", "Info ou intox ? ",
    "Faites passer : ", "Reçu d'une amie : ", "A ce qu'il paraît ",
]
SUFFIXES = [
    " #crue21", " #Dijon", " faites tourner", " 🙏", "!!!", " partagez svp", " #inondations",
    " #CotedOr", " 😱😱", " Quelqu'un confirme ?", " (message reçu sur WhatsApp)",
    " - vu sur Facebook", " #crue21 #MSGU",
]


def _link(rng: random.Random) -> str:
    kind = rng.choice(["p", "v", "photo", "s"])
    return f"https://exemple.invalid/{kind}/{rng.randrange(16**6):06x}"


def mutate(text: str, orig_handle: str, network: str, rng: random.Random) -> str:
    """One repost of `text`: the edits people make when they share a message."""
    if network == "twitter" and rng.random() < 0.4:
        return f"RT {orig_handle}: {text}"
    out = text
    for _ in range(rng.choice([1, 1, 2])):
        op = rng.randrange(8)
        if op == 0:
            out = rng.choice(PREFIXES) + out
        elif op == 1:
            out = out + rng.choice(SUFFIXES)
        elif op == 2:
            if "https://" in out:
                out = out.split(" https://")[0]
            out = out + " " + _link(rng)
        elif op == 3:
            out = out.upper()
        elif op == 4:
            out = strip_accents(out).lower()
        elif op == 5:
            cut = out.find(", ", 40)
            if cut > 0:
                out = out[:cut] + "…"
        elif op == 6:
            out = out.replace("!!!", "!").replace("URGENT ", "")
        else:
            out = out + " " + rng.choice(["via " + orig_handle, "(de " + orig_handle + ")"])
    return out
