"""What official accounts and local media post during the exercise, and when.

`SCRIPT` is the spine of the story (vigilance, evacuation orders, counts that rise then fall);
`CAUTION` is a bank of safety instructions that the préfecture, the SDIS, VISOV and the mairies
repeat throughout, each worded a little differently, as real accounts do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Scripted:
    minute: float
    who: str  # key of crue_style.OFFICIAL, or "media"
    text: str
    cats: tuple[str, ...]
    places: tuple[str, ...] = ()


S = Scripted
CA, EV, IN, RT, CS, OR, SO, SY = ("caution_advice", "evacuation_shelter", "infrastructure",
                                  "roads_traffic", "casualties", "other_relevant", "solidarity",
                                  "sympathy")

SCRIPT: list[Scripted] = [
    S(1.6, "meteo", "🟠 Vigilance orange pluie-inondation en Côte-d'Or. Cumuls de 60 à 90 mm "
      "attendus en 24 h, localement plus de 100 mm sur l'Auxois, sur des sols saturés. "
      "Soyez prudents. #Vigilance #Crue21", (CA, OR)),
    S(7.5, "vigicrues", "🟠 Vigilance orange crues sur l'Ouche, la Tille, la Vouge, l'Armançon, "
      "la Brenne et la Seine châtillonnaise. Hausse rapide attendue. vigicrues.gouv.fr",
      (CA, OR)),
    S(11, "prefet", "#Crue21 | La Côte-d'Or est placée en vigilance orange pluie-inondation et "
      "crues. Limitez vos déplacements, ne vous engagez pas sur les routes inondées, "
      "éloignez-vous des cours d'eau.", (CA,)),
    S(16, "sdis", "Les sapeurs-pompiers de la Côte-d'Or sont mobilisés : renforts des centres "
      "de la vallée de l'Ouche et de la plaine. En cas de danger immédiat : 18 ou 112.", (CA, OR)),
    S(24, "media", "EN DIRECT | Pluies diluviennes en Côte-d'Or : vigilance orange, premières "
      "routes coupées dans la vallée de l'Ouche", (OR, RT)),
    S(33, "dijon", "Fortes pluies : les agents de la Ville sont mobilisés. Le parc de la "
      "Colombière et les berges de l'Ouche sont fermés au public par précaution.", (CA, OR),
      ("Dijon",)),
    S(42, "ter", "⚠️ Trafic interrompu entre Dijon et Is-sur-Tille : voie inondée à "
      "Marcilly-sur-Tille. Pas de reprise avant plusieurs heures.", (IN, RT),
      ("Dijon", "Is-sur-Tille", "Marcilly-sur-Tille")),
    S(52, "meteo", "Cumuls relevés sur 24 h : 84 mm à Dijon-Longvic, 97 mm à Semur-en-Auxois, "
      "102 mm à Saint-Seine-l'Abbaye. Les pluies se poursuivent. #Crue21", (OR,),
      ("Dijon", "Semur-en-Auxois", "Saint-Seine-l'Abbaye")),
    S(66, "plombieres", "La mairie de Plombières-lès-Dijon ouvre la salle des fêtes pour les "
      "habitants du bas de la commune qui souhaitent se mettre à l'abri. Des sacs de sable sont "
      "à disposition aux services techniques.", (EV, SO), ("Plombières-lès-Dijon",)),
    S(76, "genlis", "Montée rapide de la Tille : les habitants des rues proches de la rivière "
      "sont invités à mettre leurs biens et véhicules à l'abri. Le gymnase du collège est "
      "ouvert pour accueillir ceux qui le souhaitent.", (CA, EV), ("Genlis",)),
    S(89, "vigicrues", "🔴 Vigilance ROUGE crues : Ouche de Plombières à la Saône et Tille aval. "
      "Crue majeure en cours. Suivez les consignes des autorités. vigicrues.gouv.fr",
      (CA, OR)),
    S(91, "prefet", "🔴 #Crue21 | Vigilance ROUGE crues. Le centre opérationnel départemental "
      "est activé. Ne prenez pas votre véhicule. Réfugiez-vous en hauteur. N'allez pas chercher "
      "vos enfants à l'école, ils y sont en sécurité.", (CA,)),
    S(97, "visov", "#MSGU #Crue21 🟥 La Côte-d'Or passe en vigilance rouge crues. Nos "
      "volontaires suivent la situation avec @Prefet21. Consignes : ne vous déplacez pas, "
      "montez à l'étage, 18/112 uniquement en cas d'urgence.", (CA,)),
    S(104, "media", "INFO | Vigilance rouge : l'Ouche déborde à Plombières-lès-Dijon et à "
      "Dijon, la Tille à Is-sur-Tille. Les pompiers multiplient les sauvetages.", (OR,),
      ("Plombières-lès-Dijon", "Dijon", "Is-sur-Tille")),
    S(118, "metropole", "Tramway : la ligne T2 est interrompue entre Jaurès et Chenôve Centre, "
      "la voie est inondée. Des bus de substitution sont mis en place.", (IN, RT),
      ("Chenôve",)),
    S(131, "ter", "Trafic interrompu entre Dijon et Dole (voie inondée à Genlis). Bus de "
      "substitution en cours d'organisation. Évitez de vous déplacer.", (IN, RT),
      ("Dijon", "Genlis")),
    S(136, "prefet", "🔴 ÉVACUATION IMMÉDIATE des habitations entre le lac Kir, l'avenue du Lac "
      "(Dijon) et le bas de Plombières-lès-Dijon. Rejoignez le Palais des sports de Dijon ou la "
      "salle de l'Écrin à Talant. Pompiers et police font du porte-à-porte.", (EV, CA),
      ("Dijon", "Plombières-lès-Dijon", "Talant")),
    S(139, "dijon", "Ordre d'évacuation secteur lac Kir / avenue du Lac : un centre "
      "d'hébergement est ouvert au Palais des sports. Navettes depuis le boulevard Kir. "
      "Animaux acceptés en laisse ou en cage.", (EV,), ("Dijon",)),
    S(141, "plombieres", "Évacuation du bas du village (rue du Moulin, rue de l'Ouche) en cours. "
      "Centre d'accueil : salle de l'Écrin à Talant, la salle des fêtes étant menacée.",
      (EV,), ("Plombières-lès-Dijon", "Talant")),
    S(152, "media", "VIDÉO | Les images impressionnantes de la crue de la Tille à Genlis, où "
      "l'eau atteint un mètre dans certaines rues", (OR,), ("Genlis",)),
    S(166, "croixrouge", "Nos équipes sont mobilisées dans les centres d'hébergement de Dijon, "
      "Talant et Genlis. Vous voulez aider ? Ne venez pas sans vous être inscrits : nous "
      "orientons les bénévoles selon les besoins.", (SO, EV), ("Dijon", "Talant", "Genlis")),
    S(178, "genlis", "Le gymnase du collège accueille déjà 140 personnes. La salle des fêtes "
      "ouvre à son tour. Merci de ne plus déposer de dons sur place : nous manquons de place.",
      (EV, SO), ("Genlis",)),
    S(196, "media", "Crue : Dijon, Genlis et la plaine sous l'eau, ce que l'on sait à cette "
      "heure", (OR,), ("Dijon", "Genlis")),
    S(211, "prefet", "Évacuation préventive des quartiers bas de Saint-Jean-de-Losne et de Losne "
      "(quais, port de plaisance). Plaisanciers : quittez vos bateaux. Accueil à la salle des "
      "fêtes de Saint-Jean-de-Losne.", (EV, CA), ("Saint-Jean-de-Losne", "Losne")),
    S(214, "sjdl", "Habitants des quais et du port : préparez un sac (papiers, médicaments, "
      "vêtements chauds, chargeur). Les équipes municipales passeront chez vous. Les personnes "
      "isolées peuvent se signaler en mairie.", (EV, CA), ("Saint-Jean-de-Losne",)),
    S(232, "protec", "La Protection civile ouvre un point d'accueil à Auxonne pour les familles "
      "sinistrées de la plaine. Repas chauds, couvertures, écoute.", (EV, SO), ("Auxonne",)),
    S(252, "auxonne", "La Saône continue de monter. Le faubourg Saint-Vivant et le quai sont "
      "interdits d'accès. Ne restez pas sur le pont pour regarder la crue.", (CA,),
      ("Auxonne",)),
    S(271, "prefet", "Eau potable : par précaution, l'eau du robinet ne doit pas être bue à "
      "Brazey-en-Plaine et Aiserey (station de pompage inondée). Distribution de bouteilles à "
      "la salle polyvalente de Brazey.", (IN, CA), ("Brazey-en-Plaine", "Aiserey")),
    S(274, "ars", "Brazey-en-Plaine et Aiserey : n'utilisez pas l'eau du robinet pour boire ni "
      "pour cuisiner jusqu'à nouvel ordre. Les autres communes ne sont pas concernées.",
      (IN, CA), ("Brazey-en-Plaine", "Aiserey")),
    S(305, "media", "DIRECT | La décrue s'amorce sur l'Ouche à Dijon, la Saône continue de "
      "monter à Auxonne et Saint-Jean-de-Losne", (OR,),
      ("Dijon", "Auxonne", "Saint-Jean-de-Losne")),
    S(361, "vigicrues", "🟠 L'Ouche et la Tille repassent en vigilance orange, la décrue est "
      "amorcée. La Saône poursuit sa hausse lente entre Pontailler-sur-Saône et Seurre.",
      (OR, CA), ("Pontailler-sur-Saône", "Seurre")),
    S(364, "prefet", "Décrue sur l'Ouche et la Tille. Ne regagnez pas votre domicile sans "
      "l'autorisation des secours. Vigilance maintenue pour les riverains de la Saône.",
      (CA, EV)),
    S(392, "metropole", "Tramway : reprise du trafic sur l'ensemble de la ligne T2. Merci de "
      "votre patience.", (IN,), ()),
    S(402, "ter", "Reprise partielle du trafic entre Dijon et Is-sur-Tille, vitesse réduite. "
      "Toujours pas de train entre Dijon et Dole, bus de substitution.", (IN, RT),
      ("Dijon", "Is-sur-Tille")),
    S(418, "media", "Crue en Côte-d'Or : un mort, des centaines d'évacués, le temps du "
      "nettoyage commence dans la vallée de l'Ouche", (CS, OR)),
    S(431, "croixrouge", "Merci aux 180 bénévoles mobilisés depuis le début de l'épisode. Les "
      "besoins évoluent : nous recherchons des bénévoles pour le nettoyage à partir de demain.",
      (SO, SY)),
    S(447, "prefet", "Les maires recensent les dégâts en vue d'une demande de reconnaissance "
      "de l'état de catastrophe naturelle. Photographiez vos dommages et contactez votre "
      "assureur.", (OR, IN)),
    S(451, "prefet", "Fin de l'évacuation du secteur lac Kir / Plombières : les habitants "
      "peuvent regagner leur domicile. Ne rétablissez pas l'électricité vous-même si l'eau est "
      "entrée.", (EV, CA), ("Dijon", "Plombières-lès-Dijon")),
    S(456, "dijon", "Retour des habitants du secteur lac Kir : des agents sont présents pour "
      "vous accompagner. Bennes à encombrants mises à disposition avenue du Lac.", (EV, SO),
      ("Dijon",)),
    S(466, "plombieres", "Merci à tous les bénévoles ! Opération nettoyage demain à 9 h, "
      "rendez-vous devant la mairie avec bottes et gants.", (SO,), ("Plombières-lès-Dijon",)),
    S(472, "visov", "#MSGU Fin de notre activation pour la crue en Côte-d'Or. Merci aux "
      "volontaires et aux comptes officiels. La vigilance reste de mise au bord de la Saône.",
      (OR,)),
]

# Counts that rise then fall, posted periodically (minute, value).
ENEDIS = [(48, 3200), (108, 7800), (168, 12500), (228, 18900), (298, 15600), (378, 9400),
          (448, 4100)]
BILANS = [  # minute, interventions, évacués, hébergés, blessés, décès
    (182, 310, 260, 150, 4, 0),
    (272, 640, 820, 430, 7, 1),
    (362, 890, 1150, 520, 9, 1),
    (452, 1040, 1180, 310, 9, 1),
]

CAUTION = [
    "#Crue21 | Ne vous engagez jamais sur une route inondée, à pied ou en voiture : 30 cm d'eau "
    "suffisent à emporter une voiture.",
    "#Crue21 | Ne prenez pas votre voiture. Limitez vos déplacements au strict nécessaire.",
    "Si l'eau monte chez vous : montez à l'étage avec eau potable, lampe de poche, radio, "
    "papiers et médicaments. Ne descendez pas dans les caves ni les sous-sols.",
    "N'allez pas chercher vos enfants à l'école : ils y sont en sécurité, les équipes "
    "appliquent le plan de mise en sûreté.",
    "Composez le 18 ou le 112 UNIQUEMENT en cas de danger immédiat. Le 15 pour une urgence "
    "médicale. Personnes sourdes ou malentendantes : le 114 par SMS.",
    "Ne stationnez pas sur les ponts ni sur les berges pour regarder la crue : vous gênez les "
    "secours et vous vous mettez en danger.",
    "Coupez le gaz et l'électricité si l'eau pénètre dans votre logement.",
    "Restez informés : vigicrues.gouv.fr, la radio locale et les comptes officiels. Ne relayez "
    "pas d'informations non vérifiées.",
    "Ne touchez pas aux câbles électriques tombés au sol. Éloignez-vous et signalez-les.",
    "Soyez solidaires : prenez des nouvelles de vos voisins âgés ou isolés, par téléphone si "
    "possible.",
    "Ne saturez pas les lignes d'urgence : pour toute question non urgente, consultez le site "
    "de la préfecture.",
    "Conducteurs : si votre véhicule est pris par l'eau, quittez-le tout de suite et montez en "
    "hauteur. Ne tentez pas de le sauver.",
    "Les sous-sols et parkings souterrains sont des pièges mortels en cas de crue : n'y allez "
    "pas, même pour déplacer votre voiture.",
    "Kayak, paddle, baignade : les cours d'eau en crue sont extrêmement dangereux. Restez à "
    "distance.",
    "Si vous devez évacuer : fermez portes et fenêtres, coupez gaz et électricité, emportez "
    "papiers, médicaments, chargeur et vêtements chauds.",
    "Ne consommez pas l'eau de la crue et lavez-vous les mains après tout contact avec elle.",
    "Personnes à mobilité réduite ou sous assistance médicale en zone inondable : faites-vous "
    "connaître auprès de votre mairie.",
    "Éloignez-vous des cours d'eau et des berges, qui peuvent s'effondrer sans prévenir.",
]
CAUTION_LATE = [
    "Retour à domicile : ne rétablissez pas l'électricité avant une vérification, aérez, "
    "désinfectez, jetez les aliments qui ont été en contact avec l'eau.",
    "Attention aux intoxications au monoxyde de carbone : n'utilisez jamais de groupe "
    "électrogène ou de chauffage d'appoint à l'intérieur pour sécher votre logement.",
    "Décrue : les chaussées restent boueuses et parfois affouillées. Roulez lentement et "
    "respectez les routes encore fermées.",
    "Déclarez vos sinistres à votre assureur dès que possible et gardez les photos et "
    "factures. Ne jetez rien avant le passage de l'expert si vous le pouvez.",
]
CAUTION_WHO = ["prefet", "prefet", "sdis", "sdis", "visov", "dijon", "metropole", "genlis",
               "sjdl", "gendarmerie", "auxonne"]


@dataclass(frozen=True)
class Station:
    label: str
    place: str
    base: float
    peak: float
    peak_h: float
    width_h: float


STATIONS = [
    Station("L'Ouche à Dijon", "Dijon", 0.85, 3.05, 3.1, 1.9),
    Station("L'Ouche à Plombières-lès-Dijon", "Plombières-lès-Dijon", 0.7, 2.7, 2.6, 1.8),
    Station("La Tille à Arc-sur-Tille", "Arc-sur-Tille", 0.7, 2.4, 2.9, 1.7),
    Station("La Tille à Genlis", "Genlis", 0.9, 2.85, 3.8, 1.8),
    Station("La Vouge à Aiserey", "Aiserey", 0.6, 1.9, 3.8, 1.6),
    Station("L'Armançon à Semur-en-Auxois", "Semur-en-Auxois", 0.5, 2.2, 2.1, 1.6),
    Station("La Brenne à Montbard", "Montbard", 0.6, 2.0, 2.4, 1.6),
    Station("La Saône à Auxonne", "Auxonne", 3.4, 4.95, 10.0, 6.0),
    Station("La Saône à Saint-Jean-de-Losne", "Saint-Jean-de-Losne", 3.1, 4.7, 10.5, 6.0),
]


def level(st: Station, hours: float) -> float:
    """A flood wave: fast rise, slower fall (the fall is 1.6 times wider)."""
    w = st.width_h if hours <= st.peak_h else st.width_h * 1.6
    return st.base + (st.peak - st.base) * math.exp(-0.5 * ((hours - st.peak_h) / w) ** 2)


def level_text(st: Station, hours: float) -> str:
    now = level(st, hours)
    trend_cm = (now - level(st, hours - 1)) * 100
    if trend_cm > 3:
        trend = f"en hausse (+{trend_cm:.0f} cm/h)"
    elif trend_cm < -3:
        trend = f"en baisse ({trend_cm:.0f} cm/h)"
    else:
        trend = "stable"
    return f"{st.label} : {now:.2f} m, {trend}".replace(".", ",", 1)
