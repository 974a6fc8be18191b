"""Message templates in French: safety instructions by hazard, solidarity relays, debunks.

The wording follows the French civil-protection "bons réflexes" (gouvernement.fr/risques,
Vigicrues, Météo-France vigilance advice, Santé publique France for heatwaves): short
imperative sentences, one instruction per line, the emergency numbers (112, 18, 15) and the
radio. Placeholders in braces (`{commune}`, `{route}`, `{heure}`...) are filled from Vigie's
data (road events, places, shelters, a claim's verdict) or typed by the volunteer; a message
with a placeholder left cannot be approved.
"""

from __future__ import annotations

from dataclasses import dataclass

RADIO_DEFAULT = "ici, ex-France Bleu"
SOURCE_DEFAULT = "les comptes officiels de la préfecture et de votre mairie"


@dataclass(frozen=True)
class Template:
    id: str
    kind: str            # safety / solidarity / debunk / info
    hazard: str | None   # flood / storm / heatwave / wildfire / industrial / None
    label: str           # what the volunteer picks in the list
    title: str           # headline (CAP headline), may hold placeholders
    body: str
    urgency: str = "Immediate"    # CAP defaults, adjustable before approval
    severity: str = "Severe"
    certainty: str = "Likely"


HAZARDS = ("flood", "storm", "heatwave", "wildfire", "industrial")

TEMPLATES: tuple[Template, ...] = (
    Template(
        "flood_instructions", "safety", "flood", "Inondation : consignes de sécurité",
        "Inondation à {commune} : consignes de sécurité",
        "⚠️ Inondation à {commune} ({heure}).\n"
        "• Ne vous engagez pas sur une route inondée, ni à pied ni en voiture : "
        "30 cm d'eau suffisent à emporter une voiture.\n"
        "• Montez dans les étages. Ne descendez pas dans les sous-sols ni les parkings.\n"
        "• N'allez pas chercher vos enfants à l'école : ils sont pris en charge.\n"
        "• Coupez l'électricité et le gaz si l'eau menace votre logement.\n"
        "• Écoutez la radio ({radio}) et suivez les consignes des autorités.\n"
        "Danger immédiat : 112 ou 18 (pompiers), 15 (SAMU)."),
    Template(
        "flood_road_closed", "safety", "flood", "Inondation : route coupée et déviation",
        "{route} coupée à {commune}",
        "🚧 {route} coupée à {commune} (inondation) depuis {heure}.\n"
        "Déviation : {deviation}.\n"
        "• Ne vous engagez pas sur une route inondée et ne contournez pas les barrières.\n"
        "• Limitez vos déplacements au strict nécessaire.",
        urgency="Immediate", severity="Moderate", certainty="Observed"),
    Template(
        "flood_evacuation", "safety", "flood", "Inondation : évacuation",
        "Évacuation à {commune}",
        "🔴 Évacuation à {commune} : quittez votre logement maintenant.\n"
        "• Prenez vos papiers, vos médicaments, un téléphone chargé et des vêtements chauds.\n"
        "• Coupez l'électricité et le gaz, fermez votre logement.\n"
        "• Rejoignez le centre d'hébergement : {lieu}.\n"
        "• Vous ne pouvez pas partir ? Signalez-vous : 112 ou 18.\n"
        "Ne revenez pas chez vous avant l'autorisation des autorités.",
        severity="Extreme", certainty="Observed"),
    Template(
        "storm_instructions", "safety", "storm", "Tempête, orages : consignes de sécurité",
        "Vents violents et orages à {commune} : consignes",
        "🌬️ Vents violents et orages à {commune} jusqu'à {heure}.\n"
        "• Limitez vos déplacements ; si vous devez circuler, soyez très prudents.\n"
        "• Rangez ou fixez les objets qui peuvent être emportés.\n"
        "• Ne vous abritez pas sous les arbres. Ne montez pas sur les toits.\n"
        "• Ne touchez pas aux fils électriques tombés au sol : appelez le 18 ou le 112.\n"
        "• Écoutez la radio ({radio}) et suivez les consignes des autorités."),
    Template(
        "heatwave_instructions", "safety", "heatwave", "Canicule : consignes de sécurité",
        "Canicule à {commune} : protégez-vous",
        "🌡️ Canicule à {commune} : protégez-vous et protégez vos proches.\n"
        "• Buvez de l'eau régulièrement sans attendre d'avoir soif.\n"
        "• Mouillez-vous le corps et ventilez-vous.\n"
        "• Fermez volets et fenêtres le jour, aérez la nuit.\n"
        "• Évitez l'alcool et les efforts physiques aux heures les plus chaudes.\n"
        "• Passez quelques heures dans un lieu frais : {lieu}.\n"
        "• Prenez des nouvelles des personnes âgées, isolées ou fragiles.\n"
        "Canicule info service : 0 800 06 66 66 (appel gratuit). Malaise : 15 ou 112.",
        urgency="Expected"),
    Template(
        "wildfire_instructions", "safety", "wildfire", "Feu de forêt : consignes de sécurité",
        "Feu de forêt près de {commune} : consignes",
        "🔥 Feu de forêt près de {commune}.\n"
        "• Témoin d'un départ de feu ? Appelez le 18 ou le 112 en donnant le lieu exact.\n"
        "• Restez chez vous : une maison en dur est le meilleur abri. "
        "Fermez portes, fenêtres et volets.\n"
        "• Bouchez les entrées d'air avec des linges mouillés.\n"
        "• Ne prenez pas la route : vous gêneriez les secours et risqueriez d'être pris "
        "par les flammes.\n"
        "• N'allez pas voir le feu. Laissez les accès libres pour les pompiers.\n"
        "• Écoutez la radio ({radio}) et suivez les consignes des autorités.",
        certainty="Observed"),
    Template(
        "industrial_shelter", "safety", "industrial", "Accident industriel : mise à l'abri",
        "Accident industriel à {commune} : mettez-vous à l'abri",
        "☣️ Accident industriel à {commune} : mettez-vous à l'abri.\n"
        "• Rejoignez sans attendre le bâtiment le plus proche.\n"
        "• Fermez portes et fenêtres, arrêtez ventilation et climatisation.\n"
        "• N'allez pas chercher vos enfants à l'école : ils sont pris en charge.\n"
        "• Ne fumez pas, pas de flamme ni d'étincelle.\n"
        "• Ne téléphonez qu'en cas d'urgence vitale (112, 18, 15) : laissez les lignes "
        "aux secours.\n"
        "• Écoutez la radio ({radio}). Ne sortez qu'à la fin de l'alerte.",
        certainty="Observed"),
    # Short versions: one X post or about two SMS.
    Template(
        "flood_short", "safety", "flood", "Inondation : consignes (version courte)",
        "Inondation à {commune}",
        "⚠️ Inondation à {commune} : ne vous engagez pas sur une route inondée. Montez dans "
        "les étages. N'allez pas chercher vos enfants à l'école. Écoutez la radio. "
        "Urgence : 112 ou 18."),
    Template(
        "storm_short", "safety", "storm", "Tempête, orages : consignes (version courte)",
        "Vents violents à {commune}",
        "🌬️ Vents violents à {commune} jusqu'à {heure} : limitez vos déplacements, ne vous "
        "abritez pas sous les arbres, ne touchez pas aux fils électriques tombés. "
        "Urgence : 112 ou 18."),
    Template(
        "heatwave_short", "safety", "heatwave", "Canicule : consignes (version courte)",
        "Canicule à {commune}",
        "🌡️ Canicule à {commune} : buvez de l'eau régulièrement, fermez volets et fenêtres le "
        "jour, prenez des nouvelles des personnes fragiles. Canicule info service : "
        "0 800 06 66 66. Malaise : 15.", urgency="Expected"),
    Template(
        "wildfire_short", "safety", "wildfire", "Feu de forêt : consignes (version courte)",
        "Feu de forêt près de {commune}",
        "🔥 Feu de forêt près de {commune} : restez chez vous, fermez tout, ne prenez pas la "
        "route, laissez passer les secours. Départ de feu : 18 ou 112.",
        certainty="Observed"),
    Template(
        "industrial_short", "safety", "industrial", "Accident industriel : mise à l'abri (courte)",
        "Mise à l'abri à {commune}",
        "☣️ Accident industriel à {commune} : mettez-vous à l'abri dans un bâtiment, fermez "
        "portes et fenêtres, n'allez pas chercher vos enfants à l'école, écoutez la radio. "
        "Urgence vitale : 112.", certainty="Observed"),
    Template(
        "solidarity_neighbours", "solidarity", None, "Solidarité : prenez des nouvelles",
        "Solidarité à {commune} : prenez des nouvelles de vos voisins",
        "🤝 {commune} : prenez des nouvelles de vos voisins, surtout des personnes âgées, "
        "isolées ou handicapées.\n"
        "Quelqu'un est en danger ? 112 ou 18.\n"
        "Pour aider, passez par {organisme} ; n'allez pas dans les zones sinistrées.",
        urgency="Expected", severity="Minor", certainty="Observed"),
    Template(
        "solidarity_collection", "solidarity", None, "Solidarité : collecte et bénévoles",
        "{organisme} recherche {besoin}",
        "🤝 {organisme} recherche {besoin} pour les sinistrés de {commune}.\n"
        "Point de collecte : {lieu}, à partir de {heure}.\n"
        "Merci de ne pas vous rendre dans les zones sinistrées sans y être invités.",
        urgency="Expected", severity="Minor", certainty="Observed"),
    Template(
        "solidarity_shelter", "solidarity", None, "Solidarité : centre d'hébergement ouvert",
        "Centre d'hébergement ouvert : {lieu}",
        "🏠 Un centre d'hébergement est ouvert pour les personnes évacuées de {commune} : "
        "{lieu}.\n"
        "Repas et couchage assurés. Emportez vos médicaments et vos papiers.",
        urgency="Expected", severity="Moderate", certainty="Observed"),
    Template(
        "debunk_false", "debunk", None, "Démenti : information fausse",
        "FAUX : {affirmation}",
        "❌ FAUX : « {affirmation} »\n"
        "{verdict}\n"
        "Ne partagez pas les messages non vérifiés. Informations officielles : {source}.",
        urgency="Immediate", severity="Minor", certainty="Observed"),
    Template(
        "debunk_misleading", "debunk", None, "Démenti : information trompeuse",
        "TROMPEUR : {affirmation}",
        "⚠️ TROMPEUR : « {affirmation} »\n"
        "{verdict}\n"
        "Vérifiez avant de partager. Informations officielles : {source}.",
        urgency="Immediate", severity="Minor", certainty="Observed"),
    Template(
        "info_relay", "info", None, "Relais d'une information officielle",
        "{organisme} : {information}",
        "ℹ️ {organisme}, {heure} : {information}\n"
        "Suivez les consignes des autorités et n'encombrez pas les numéros d'urgence "
        "(112, 18, 15).",
        urgency="Expected", severity="Moderate", certainty="Observed"),
)

BY_ID = {t.id: t for t in TEMPLATES}

# What a placeholder holds when nothing more specific is known.
DEFAULTS = {"radio": RADIO_DEFAULT, "source": SOURCE_DEFAULT}
