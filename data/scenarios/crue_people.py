"""People the exercise follows: missing persons who are later found, people in distress who are
later rescued. Each has an id (m1.., d1..) in the ground truth so that tests and evaluations can
check that Vigie links the appeal, its shares and the outcome.

All names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

MISSING, FOUND, DISTRESS, RESCUED = "missing", "found", "distress", "rescued"
HR, MF, CS, SY, EV, CA, RT, SO = ("help_request", "missing_or_found", "casualties", "sympathy",
                                  "evacuation_shelter", "caution_advice", "roads_traffic",
                                  "solidarity")


@dataclass(frozen=True)
class Beat:
    minute: float
    who: str  # "@handle" of a relative/witness, or an OFFICIAL key, or "media"
    network: str
    text: str
    status: str
    cats: tuple[str, ...]
    lang: str = "fr"


@dataclass(frozen=True)
class Person:
    id: str
    location: str  # commune
    beats: tuple[Beat, ...]
    shares: int  # how many people repost the first appeal before the outcome


B = Beat
PEOPLE: list[Person] = [
    Person("m1", "Genlis", (
        B(160, "@KevPerrot21", "twitter",
          "On cherche ma grand-mère Jeannine Perrot, 82 ans, elle habite rue de la Gare à "
          "Genlis. Injoignable depuis 2h, l'eau est montée dans son quartier. Cheveux blancs "
          "courts, elle marche avec une canne. Si vous avez des infos appelez le 17 ou MP svp",
          MISSING, (MF,)),
        B(185, "genlis", "facebook",
          "Appel : Mme Jeannine Perrot, 82 ans, domiciliée rue de la Gare, n'a pas été vue "
          "depuis la montée des eaux. Toute information : composez le 17.", MISSING, (MF,)),
        B(262, "@KevPerrot21", "twitter",
          "Mamie est retrouvée !!! Elle était chez une voisine au premier étage, sans "
          "téléphone. Merci à tous pour les partages ❤️", FOUND, (MF,)),
        B(266, "genlis", "facebook",
          "Bonne nouvelle : Mme Perrot a été retrouvée saine et sauve. Merci pour vos partages.",
          FOUND, (MF,)),
    ), 6),
    Person("m2", "Plombières-lès-Dijon", (
        B(190, "@sandrine.gauthier21", "facebook",
          "Mon fils Lucas, 14 ans, est parti à vélo voir l'Ouche vers Plombières-lès-Dijon il y "
          "a 2h et ne répond plus. Sweat rouge, vélo noir. Aidez-moi svp 😭", MISSING, (MF,)),
        B(201, "plombieres", "facebook",
          "Recherche : Lucas, 14 ans, sweat rouge, vélo noir, vu pour la dernière fois près du "
          "pont de l'Ouche. Si vous le voyez, appelez le 17.", MISSING, (MF,)),
        B(236, "@sandrine.gauthier21", "facebook",
          "Lucas est rentré !!! Il était bloqué chez un copain à Velars-sur-Ouche, sans "
          "batterie. Merci merci à tous, vous pouvez arrêter de partager 🙏", FOUND, (MF,)),
        B(240, "plombieres", "facebook",
          "Lucas a été retrouvé, il va bien. Merci à tous.", FOUND, (MF,)),
    ), 7),
    Person("m3", "Saint-Jean-de-Losne", (
        B(270, "gendarmerie", "twitter",
          "Appel à témoins : M. Bernard Lavier, 76 ans, atteint de troubles de la mémoire, a "
          "quitté son domicile de Saint-Jean-de-Losne (secteur du port). 1,70 m, manteau beige, "
          "casquette. Toute information : 17.", MISSING, (MF,)),
        B(276, "sjdl", "facebook",
          "Nous relayons l'appel de la gendarmerie : M. Bernard Lavier, 76 ans, a quitté son "
          "domicile près du port. Manteau beige, casquette. Merci de composer le 17 si vous le "
          "voyez.", MISSING, (MF,)),
        B(364, "gendarmerie", "twitter",
          "M. Bernard Lavier a été retrouvé sain et sauf près de l'écluse de Losne par une "
          "patrouille. Merci pour vos nombreux partages.", FOUND, (MF,)),
        B(372, "@cath_lavier", "facebook",
          "Papa est retrouvé, il est au chaud à la salle des fêtes de Saint-Jean-de-Losne. "
          "Merci aux gendarmes et à tous ceux qui ont partagé ❤️", FOUND, (MF,)),
    ), 8),
    Person("m4", "Velars-sur-Ouche", (
        B(110, "@emily_hart_uk", "twitter",
          "Please help: my partner Tom (34, British) was cycling the Canal de Bourgogne towpath "
          "near Velars-sur-Ouche and I can't reach him for 2 hours. Blue jacket, yellow bike. "
          "#Dijon #floods", MISSING, (MF,), "en"),
        B(124, "@velo_taf_dijon", "twitter",
          "Une touriste anglaise cherche son compagnon Tom, 34 ans, à vélo sur le chemin de "
          "halage vers Velars-sur-Ouche. Veste bleue, vélo jaune. Partagez svp #crue21",
          MISSING, (MF,)),
        B(200, "@emily_hart_uk", "twitter",
          "Tom is safe!! He was taken to a shelter in Talant by firefighters, phone was dead. "
          "Thank you all so much, merci beaucoup ❤️", FOUND, (MF,), "en"),
    ), 4),
    Person("m5", "Longvic", (
        B(215, "@nadia_longvic", "facebook",
          "URGENT j'ai perdu ma fille Inès 9 ans pendant l'évacuation à Longvic vers la mairie, "
          "doudoune rose, cheveux bouclés. Si vous la voyez appelez le 17 !!!", MISSING,
          (MF, EV)),
        B(239, "@nadia_longvic", "facebook",
          "Inès retrouvée !! Elle était montée dans le bus des évacués avec sa copine, elle est "
          "au gymnase du collège de Longvic. Merci à tous 😭❤️", FOUND, (MF, EV)),
    ), 5),
    Person("m6", "Fauverney", (
        B(200, "@agri_cotedor", "twitter",
          "Une voiture vient d'être emportée au gué de Fauverney, le conducteur n'est pas "
          "sorti !!! Les pompiers arrivent", MISSING, (MF, HR, RT)),
        B(207, "sdis", "twitter",
          "Fauverney : un véhicule a été emporté par l'Ouche au niveau du gué. Le conducteur "
          "est porté disparu. Plongeurs et hélicoptère engagés.", MISSING, (MF, CS)),
        B(216, "media", "twitter",
          "Un automobiliste porté disparu à Fauverney après avoir tenté de franchir un gué "
          "submergé", MISSING, (MF, CS)),
        B(265, "prefet", "twitter",
          "C'est avec une profonde tristesse que nous apprenons le décès de l'automobiliste "
          "emporté à Fauverney. Son corps a été retrouvé par les plongeurs du SDIS. Pensées "
          "pour ses proches. Ne vous engagez JAMAIS sur une route inondée.", FOUND,
          (MF, CS, CA)),
    ), 3),
    # People in distress, then rescued.
    Person("d1", "Plombières-lès-Dijon", (
        B(128, "@julie_garnier21", "twitter",
          "Mes parents et mon petit frère sont sur le toit de la maison rue du Moulin à "
          "Plombières-lès-Dijon, l'eau est au niveau des gouttières !!! @SDIS21 AIDEZ LES",
          DISTRESS, (HR,)),
        B(171, "@julie_garnier21", "twitter",
          "Ils ont été hélitreuillés !!! Ils sont au CHU pour un contrôle mais ils vont bien. "
          "MERCI LES POMPIERS 😭🙏", RESCUED, (HR, SY)),
    ), 3),
    Person("d2", "Longvic", (
        B(155, "@VirginieL_longvic", "facebook",
          "Mon voisin M. Roux, 88 ans, vit seul rue de la Rivière à Longvic, l'eau est entrée "
          "chez lui, il ne peut pas monter et ne répond plus à la porte. Le 18 est prévenu",
          DISTRESS, (HR,)),
        B(204, "@VirginieL_longvic", "facebook",
          "Les pompiers sont venus en barque chercher M. Roux, il est au sec au gymnase du "
          "collège. Merci à eux 🙏", RESCUED, (HR, EV)),
    ), 2),
    Person("d3", "Rouvres-en-Plaine", (
        B(122, "@thomas_lambert21", "twitter",
          "Je suis bloqué dans ma voiture sur la D34 entre Rouvres-en-Plaine et "
          "Thorey-en-Plaine, l'eau arrive aux portières, le moteur a calé. J'ai appelé le 112",
          DISTRESS, (HR, RT)),
        B(148, "@thomas_lambert21", "twitter",
          "Sorti de la voiture par les pompiers, trempé mais vivant. La voiture est foutue. Ne "
          "faites pas comme moi, ne passez jamais sur une route inondée", RESCUED, (RT, CA)),
    ), 2),
    Person("d4", "Genlis", (
        B(205, "@LaGenlisienne", "twitter",
          "L'EHPAD de Genlis a de l'eau au rez-de-chaussée, 60 résidents, le personnel est "
          "débordé, il faut de l'aide !!", DISTRESS, (HR, EV)),
        B(222, "genlis", "facebook",
          "L'EHPAD est en cours d'évacuation avec les sapeurs-pompiers et la Protection civile. "
          "Les familles des résidents seront informées par l'établissement.", DISTRESS, (EV,)),
        B(251, "genlis", "facebook",
          "Tous les résidents de l'EHPAD ont été mis en sécurité à l'étage et au collège. "
          "Merci aux équipes.", RESCUED, (EV,)),
    ), 3),
    Person("d5", "Saint-Jean-de-Losne", (
        B(226, "@dutch_campers_nl", "twitter",
          "We are 12 campers at the Saint-Jean-de-Losne campsite, water all around the "
          "caravans and the exit road is flooded. Kids with us. Who can help? @SDIS21",
          DISTRESS, (HR,), "en"),
        B(252, "sjdl", "facebook",
          "Les campeurs du camping ont été évacués par les sapeurs-pompiers et sont accueillis à "
          "la salle des fêtes. Merci aux habitants qui ont apporté des vêtements secs.",
          RESCUED, (EV, SO)),
    ), 2),
    Person("d6", "Arc-sur-Tille", (
        B(150, "@ferme_des_pres21", "twitter",
          "Mes 40 vaches sont encerclées par la Tille à Arc-sur-Tille, on ne peut plus les "
          "sortir, qui a une bétaillère ? 🐄", DISTRESS, (HR, SO)),
        B(215, "@ferme_des_pres21", "twitter",
          "Toutes les bêtes sont au sec grâce aux voisins et à 3 bétaillères venues de "
          "Remilly-sur-Tille. Merci les gars 💪", RESCUED, (SO, SY)),
    ), 2),
]

# After the death in Fauverney.
CONDOLENCES = [
    "Pensées pour la famille de l'automobiliste de Fauverney 😢",
    "Tellement triste pour le conducteur emporté à Fauverney. Ne passez pas sur les routes "
    "inondées, ça ne vaut pas le coup",
    "RIP au monsieur de Fauverney. Courage à ses proches",
    "Un mort à Fauverney… j'ai mal au cœur. Courage à la famille",
    "Paix à son âme. Et merci aux plongeurs du SDIS qui ont cherché pendant des heures",
]
RELIEF = ["Ouf !!! trop contente", "Quelle bonne nouvelle 🙏", "Super, merci pour l'info",
          "Ouf, on a eu peur pour elle", "Génial, bon rétablissement", "Ah enfin une bonne "
          "nouvelle aujourd'hui ❤️"]
