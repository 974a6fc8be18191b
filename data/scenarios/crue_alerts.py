"""Official alerts of the exercise, shaped like CAP messages (Météo-France, Vigicrues, préfecture).

Severity follows the French vigilance colours as CAP feeds map them: jaune = Moderate,
orange = Severe, rouge = Extreme.
"""

from __future__ import annotations

from crue_world import PLACES, Commune, area_polygon, ellipse_polygon

PREF = "Préfecture de la Côte-d'Or"
VIGICRUES = "Vigicrues — SPC Rhône amont-Saône"
METEO = "Météo-France"

# Communes along each warned stretch, for the alert polygons.
OUCHE_TILLE = ["Ouche", "Tille", "Norge", "Vouge"]
NORTH_WEST = ["Armançon", "Brenne", "Seine", "Laignes"]


def _along(communes: dict[str, Commune], rivers: list[str]) -> list[Commune]:
    return [communes[p.name] for p in PLACES if p.river in rivers]


def build_alerts(communes: dict[str, Commune]) -> list[dict]:
    dep = area_polygon(list(communes.values()), margin_km=2.0)
    ouche_tille = area_polygon(_along(communes, OUCHE_TILLE))
    orange_area = area_polygon(_along(communes, OUCHE_TILLE + NORTH_WEST))
    kir = ellipse_polygon(47.3225, 4.9750, 2.6, 1.0)
    sjdl = ellipse_polygon(47.0900, 5.2730, 1.6, 1.8)
    water = area_polygon([communes["Brazey-en-Plaine"], communes["Aiserey"]], margin_km=2.5)

    return [
        {
            "type": "alert", "at": 90, "id": "a01", "sender": METEO,
            "event": "Vigilance orange pluie-inondation", "severity": "Severe",
            "urgency": "Expected", "certainty": "Likely", "msg_type": "Alert",
            "headline": "Vigilance orange pluie-inondation pour la Côte-d'Or",
            "description": (
                "Un épisode pluvio-orageux durable concerne la Côte-d'Or. Cumuls attendus de 60 "
                "à 90 mm en 24 heures, localement 110 mm sur l'Auxois et la Montagne "
                "dijonnaise, sur des sols déjà saturés. Des débordements de cours d'eau et des "
                "ruissellements importants sont attendus."
            ),
            "instruction": (
                "Limitez vos déplacements. Ne vous engagez en aucun cas, à pied ou en voiture, "
                "sur une voie immergée. Mettez à l'abri vos biens de valeur et surveillez la "
                "montée des eaux. Tenez-vous informés auprès des autorités."
            ),
            "area": "Côte-d'Or (21)", "expires_offset": 14400, "geometry": dep,
        },
        {
            "type": "alert", "at": 420, "id": "a02", "sender": VIGICRUES,
            "event": "Vigilance crues", "severity": "Severe",
            "urgency": "Expected", "certainty": "Likely", "msg_type": "Alert",
            "headline": "Vigilance orange crues : Ouche, Tille, Vouge, Armançon, Brenne, Seine",
            "description": (
                "Crues génératrices de débordements importants susceptibles d'avoir un impact "
                "significatif sur la vie collective et la sécurité des biens et des personnes. "
                "Tronçons concernés : Ouche amont et aval, Tille, Norge, Vouge, Armançon, "
                "Brenne, Seine châtillonnaise. Hausse rapide attendue dans les prochaines heures."
            ),
            "instruction": (
                "Éloignez-vous des cours d'eau. Ne stationnez pas sur les berges ni sur les ponts. "
                "Mettez hors d'eau vos biens et préparez un kit d'urgence."
            ),
            "area": "Bassins de l'Ouche, de la Tille, de la Vouge et Auxois-Châtillonnais",
            "expires_offset": 21600, "geometry": orange_area,
        },
        {
            "type": "alert", "at": 5400, "id": "a03", "sender": VIGICRUES,
            "event": "Vigilance crues", "severity": "Extreme",
            "urgency": "Immediate", "certainty": "Observed", "msg_type": "Update",
            "headline": "Vigilance ROUGE crues : Ouche de Plombières à la Saône, Tille aval",
            "description": (
                "Crue majeure en cours. L'Ouche à Dijon dépasse 2,30 m et reste en forte hausse ; "
                "la Tille à Genlis atteint des niveaux proches des plus hautes eaux connues. "
                "Menace directe et généralisée pour la sécurité des personnes et des biens."
            ),
            "instruction": (
                "Conformez-vous aux consignes des autorités et aux ordres d'évacuation. "
                "Réfugiez-vous en hauteur, dans un étage. Ne prenez pas votre véhicule. "
                "N'allez pas chercher vos enfants à l'école : ils y sont en sécurité."
            ),
            "area": "Ouche aval, Tille aval, Norge, Vouge",
            "expires_offset": 21600, "geometry": ouche_tille,
        },
        {
            "type": "alert", "at": 8100, "id": "a04", "sender": PREF,
            "event": "Ordre d'évacuation", "severity": "Extreme",
            "urgency": "Immediate", "certainty": "Observed", "msg_type": "Alert",
            "headline": "Évacuation immédiate : berges de l'Ouche entre le lac Kir et Plombières",
            "description": (
                "Par arrêté préfectoral, les habitations situées entre le lac Kir, l'avenue du "
                "Lac (Dijon) et le bas de Plombières-lès-Dijon (rue du Moulin, rue de l'Ouche) "
                "doivent être évacuées. Les sapeurs-pompiers et la police procèdent au "
                "porte-à-porte."
            ),
            "instruction": (
                "Quittez votre domicile avec papiers, médicaments, chargeur, vêtements chauds. "
                "Coupez gaz et électricité. Rejoignez le centre d'hébergement du Palais des "
                "sports de Dijon ou la salle de l'Écrin à Talant. Personnes à mobilité réduite : "
                "signalez-vous au 18 ou au 112."
            ),
            "area": "Dijon (secteur lac Kir) et Plombières-lès-Dijon (quartier bas)",
            "expires_offset": 27000, "geometry": kir,
        },
        {
            "type": "alert", "at": 12600, "id": "a05", "sender": PREF,
            "event": "Évacuation préventive", "severity": "Severe",
            "urgency": "Expected", "certainty": "Likely", "msg_type": "Alert",
            "headline": "Évacuation préventive des quartiers bas de Saint-Jean-de-Losne et Losne",
            "description": (
                "La Saône, gonflée par l'Ouche, la Tille et la Vouge, poursuit sa montée. "
                "Les quais de Saint-Jean-de-Losne, le port de plaisance et les rues basses de "
                "Losne seront inondés dans les prochaines heures."
            ),
            "instruction": (
                "Préparez-vous à quitter votre domicile. Plaisanciers : quittez vos bateaux. "
                "Un centre d'accueil est ouvert à la salle des fêtes de Saint-Jean-de-Losne."
            ),
            "area": "Saint-Jean-de-Losne, Losne (quartiers bas)",
            "expires_offset": 28800, "geometry": sjdl,
        },
        {
            "type": "alert", "at": 16200, "id": "a06", "sender": PREF,
            "event": "Restriction d'usage de l'eau potable", "severity": "Severe",
            "urgency": "Immediate", "certainty": "Observed", "msg_type": "Alert",
            "headline": "Eau non potable à Brazey-en-Plaine et Aiserey",
            "description": (
                "La station de pompage qui alimente Brazey-en-Plaine et Aiserey a été inondée. "
                "Par précaution, l'eau du robinet ne doit pas être bue dans ces deux communes. "
                "Le reste du département, dont la métropole de Dijon, n'est pas concerné."
            ),
            "instruction": (
                "N'utilisez pas l'eau du robinet pour boire ni pour cuisiner. Des bouteilles "
                "sont distribuées à la salle polyvalente de Brazey-en-Plaine."
            ),
            "area": "Brazey-en-Plaine, Aiserey",
            "expires_offset": 28800, "geometry": water,
        },
        {
            "type": "alert", "at": 21600, "id": "a07", "sender": VIGICRUES,
            "event": "Vigilance crues", "severity": "Severe",
            "urgency": "Expected", "certainty": "Observed", "msg_type": "Update",
            "headline": "Ouche et Tille repassent en vigilance orange ; Saône en hausse lente",
            "description": (
                "La décrue est amorcée sur l'Ouche et la Tille. La Saône continue de monter "
                "lentement entre Pontailler-sur-Saône et Seurre, pic attendu dans la nuit."
            ),
            "instruction": (
                "Ne regagnez pas votre domicile sans l'accord des autorités. Attention aux "
                "chaussées boueuses et aux installations électriques mouillées."
            ),
            "area": "Ouche, Tille, Vouge ; Saône de Pontailler à Seurre",
            "expires_offset": 28800, "geometry": area_polygon(
                _along(communes, OUCHE_TILLE + ["Saône"])),
        },
        {
            "type": "alert", "at": 27000, "id": "a08", "sender": PREF,
            "event": "Levée de l'ordre d'évacuation", "severity": "Moderate",
            "urgency": "Expected", "certainty": "Observed", "msg_type": "Update",
            "headline": "Fin de l'évacuation du secteur lac Kir / Plombières",
            "description": (
                "L'eau s'est retirée des rues du secteur lac Kir et du bas de Plombières. "
                "Les habitants peuvent regagner leur domicile, accompagnés si besoin."
            ),
            "instruction": (
                "Ne rétablissez pas l'électricité vous-même si l'eau est entrée : faites "
                "vérifier l'installation. Photographiez les dégâts pour votre assurance."
            ),
            "area": "Dijon (secteur lac Kir) et Plombières-lès-Dijon",
            "expires_offset": 28800, "geometry": kir,
        },
    ]
