"""Who writes and how: author handles per network and the writing habits that roughen a text.

Real crisis posts are full of abbreviations, typos, missing accents, capitals and emojis; the
enrichment code must cope with that, so the scenario must have it. Official accounts write clean.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

NETWORKS = ["twitter", "facebook", "mastodon", "bluesky", "instagram"]
NETWORK_WEIGHTS = [45, 25, 10, 10, 10]

FIRST = [
    "marie", "julien", "sophie", "thomas", "camille", "nicolas", "laura", "kevin", "manon",
    "pierre", "emilie", "romain", "chloe", "antoine", "sarah", "maxime", "lea", "hugo", "ines",
    "lucas", "mathilde", "bastien", "celine", "florian", "audrey", "jeremy", "nathalie",
    "sebastien", "virginie", "franck", "sandrine", "patrick", "isabelle", "christophe", "valerie",
    "didier", "brigitte", "jeanmi", "dom", "fred", "steph", "seb", "juju", "mimi", "gege", "yann",
    "aurelie", "benoit", "cyril", "elodie", "fanny", "gaelle", "herve", "jessica", "ludo", "mel",
    "noemie", "olivier", "pauline", "quentin", "regis", "sylvie", "tony", "vincent", "xavier",
]
LAST = [
    "morel", "girard", "bonnot", "perrin", "lambert", "gauthier", "roux", "fournier", "mercier",
    "guillot", "bouchard", "chevalier", "moreau", "garnier", "renaud", "petitjean", "bourgeois",
    "masson", "collin", "picard", "millot", "jacquot", "bonnet", "gros", "thevenin", "jobard",
    "berthier", "nicolle", "rouget", "laforge", "grosjean", "buisson", "duret", "ferrand",
]
TOWN_TAGS = ["dijon", "genlis", "plomb", "auxonne", "beaune", "sjdl", "semur", "montbard",
             "longvic", "chenove", "talant", "21", "21000", "cotedor", "bourgogne", "is21"]
FIXED = [
    "bzh_in_dijon", "moutarde_forte", "dfco_ultra21", "lecycliste21", "PapyBricole",
    "LaVieAuxonnaise", "CanardDuCanal", "kir_royal_", "pinard_et_co", "photo_ouche", "MamanDe3",
    "agri_cotedor", "ferme_des_pres21", "ChtiDijonnais", "VigneronNuiton", "randoauxois",
    "JeanDuPort", "Dijon_Insolite", "meteo_dijon_amateur", "nono_longvic", "LaGenlisienne",
    "pecheur_de_saone", "tata_josette", "le_ptit_semurois", "velo_taf_dijon", "Maraichere21",
    "chti_beaunois", "LesAmisDuCanal", "ImmoPlaineDijon", "Kevin_du_21", "gamer21000",
]
INSTANCES = ["piaille.fr", "mamot.fr", "framapiaf.org", "mastodon.social", "pouet.chapril.org"]
STYLES = ["clean", "casual", "sloppy", "shouty"]
STYLE_WEIGHTS = [30, 42, 20, 8]


@dataclass(frozen=True)
class Author:
    handle: str
    network: str
    style: str
    official: bool = False


def _base_handle(rng: random.Random) -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    pattern = rng.randrange(9)
    if pattern == 0:
        return f"{f}_{last}"
    if pattern == 1:
        return f"{f.capitalize()}{last.capitalize()}"
    if pattern == 2:
        return f"{f}.{last}"
    if pattern == 3:
        return f"{f}{rng.choice(TOWN_TAGS)}"
    if pattern == 4:
        return f"{f}_{rng.choice(TOWN_TAGS)}"
    if pattern == 5:
        return f"{f}{last[0]}{rng.randint(1, 99)}"
    if pattern == 6:
        return f"{f.capitalize()}{last[0].upper()}_{rng.choice(TOWN_TAGS)}"
    if pattern == 7:
        return f"{last}{f}{rng.choice(['', '21', '_', '71', '2000'])}"
    return rng.choice(FIXED)


def format_handle(base: str, network: str) -> str:
    if network == "mastodon":
        inst = INSTANCES[sum(map(ord, base)) % len(INSTANCES)]
        return f"@{base.lower()}@{inst}"
    if network == "bluesky":
        return f"@{base.lower().replace('_', '-')}.bsky.social"
    return f"@{base}"


class AuthorPool:
    """A population of citizens; some post often, most once or twice (like real timelines)."""

    def __init__(self, rng: random.Random, size: int = 420) -> None:
        self.rng = rng
        seen: set[str] = set()
        self.authors: list[Author] = []
        while len(self.authors) < size:
            net = rng.choices(NETWORKS, NETWORK_WEIGHTS)[0]
            handle = format_handle(_base_handle(rng), net)
            if handle in seen:
                continue
            seen.add(handle)
            style = rng.choices(STYLES, STYLE_WEIGHTS)[0]
            self.authors.append(Author(handle, net, style))
        # Zipf-like weights: the first authors are the chatty ones.
        self.weights = [1.0 / (i + 3) ** 0.8 for i in range(size)]

    def pick(self, network: str | None = None) -> Author:
        while True:
            a = self.rng.choices(self.authors, self.weights)[0]
            if network is None or a.network == network:
                return a

    def fresh(self, style: str | None = None) -> Author:
        """A one-off author (for rumor spreaders: many different people)."""
        net = self.rng.choices(NETWORKS, NETWORK_WEIGHTS)[0]
        handle = format_handle(_base_handle(self.rng), net)
        return Author(handle, net, style or self.rng.choices(STYLES, STYLE_WEIGHTS)[0])


OFFICIAL = {
    "prefet": Author("@Prefet21", "twitter", "clean", True),
    "sdis": Author("@SDIS21", "twitter", "clean", True),
    "routes": Author("@CD21_Routes", "twitter", "clean", True),
    "dijon": Author("@VilleDeDijon", "twitter", "clean", True),
    "metropole": Author("@DijonMetropole", "twitter", "clean", True),
    "visov": Author("@VISOV1", "twitter", "clean", True),
    "enedis": Author("@Enedis_BFC", "twitter", "clean", True),
    "meteo": Author("@meteofrance", "twitter", "clean", True),
    "vigicrues": Author("@Vigicrues", "twitter", "clean", True),
    "gendarmerie": Author("@Gendarmerie21", "twitter", "clean", True),
    "ars": Author("@ARS_BFC", "twitter", "clean", True),
    "aprr": Author("@APRR", "twitter", "clean", True),
    "dirce": Author("@DIRCentreEst", "twitter", "clean", True),
    "ter": Author("@TER_BFC", "twitter", "clean", True),
    "genlis": Author("@MairieGenlis", "facebook", "clean", True),
    "auxonne": Author("@VilleAuxonne", "facebook", "clean", True),
    "sjdl": Author("@MairieStJeanDeLosne", "facebook", "clean", True),
    "plombieres": Author("@Plombieres21", "facebook", "clean", True),
    "croixrouge": Author("@CroixRouge21", "twitter", "clean", True),
    "protec": Author("@ProtectionCivile21", "facebook", "clean", True),
}
# Local media, fictionalised (the exercise must never be mistaken for a real outlet's reporting).
MEDIA = [
    Author("@InfoDijon21", "twitter", "clean", True),
    Author("@Radio_Bourgogne_FM", "twitter", "clean", True),
    Author("@LeJournalDe21", "facebook", "clean", True),
    Author("@TeleCotedOr", "bluesky", "clean", True),
]

ABBREV = [
    ("s'il vous plaît", "svp"), ("s'il vous plait", "svp"), ("quelqu'un", "qqn"),
    ("quelque chose", "qqch"), ("beaucoup", "bcp"), ("aujourd'hui", "auj"), ("maintenant", "mtn"),
    ("je suis", "jsuis"), ("parce que", "pcq"), ("toujours", "tjrs"), ("pourquoi", "pk"),
    ("vraiment", "vrmt"), ("tout le monde", "tlm"), ("depuis", "dps"), ("nouvelles", "nvelles"),
    ("pour ", "pr "), ("avec ", "avc "), ("c'est ", "c "), ("est-ce que", "est ce que"),
    ("personnes", "pers"), ("rendez-vous", "rdv"), ("d'accord", "dac"), ("je sais pas", "jsp"),
    ("ne sais pas", "sais pas"), ("il y a", "y a"), ("Il y a", "Y a"), ("ça ", "sa "),
]
WORD = re.compile(r"^([a-zàâäçéèêëîïôöùûü]{5,})([,.!?…]*)$")

EMOJIS = {
    "help": ["🆘", "😰", "😭", "🙏", "😱", "‼️", "🚨"],
    "warn": ["⚠️", "🚨", "🌊", "💧", "❗"],
    "kind": ["❤️", "💙", "🙏", "💪", "🤝", "👍", "🥺"],
    "neutral": ["🌧️", "🌊", "😮", "📸", "👀", "😳", "🤯"],
    "noise": ["😂", "🔥", "⚽", "🍷", "🤤", "😍", "👌", "🙄"],
}


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if unicodedata.category(ch) != "Mn")


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def add_typos(text: str, rng: random.Random, n: int) -> str:
    """Misspell n lowercase words; names (capitalised), handles, hashtags and links stay intact."""
    tokens = text.split(" ")
    for _ in range(n):
        spots = [i for i, tok in enumerate(tokens) if WORD.match(tok)]
        if not spots:
            break
        i = rng.choice(spots)
        m = WORD.match(tokens[i])
        assert m is not None
        tokens[i] = _typo(m.group(1), rng) + m.group(2)
    return " ".join(tokens)


def abbreviate(text: str, rng: random.Random, p: float) -> str:
    for long, short in ABBREV:
        if long in text and rng.random() < p:
            text = text.replace(long, short)
    return text


def _upper_keep_links(text: str) -> str:
    return " ".join(w if w.startswith(("http", "@", "#")) else w.upper() for w in text.split(" "))


def stylize(text: str, style: str, rng: random.Random, mood: str = "neutral") -> str:
    """Roughen a clean sentence the way this author writes."""
    if style == "clean":
        if rng.random() < 0.25:
            text += " " + rng.choice(EMOJIS[mood])
        return text
    if style == "casual":
        text = abbreviate(text, rng, 0.45)
        if rng.random() < 0.5:
            text = text[:1].lower() + text[1:]
        if text.endswith(".") and rng.random() < 0.6:
            text = text[:-1]
        if rng.random() < 0.2:
            text = strip_accents(text)
        text = add_typos(text, rng, rng.choice([0, 0, 1, 1, 2]))
        if rng.random() < 0.45:
            text += " " + "".join(rng.sample(EMOJIS[mood], rng.randint(1, 2)))
        return text
    if style == "sloppy":
        text = abbreviate(text, rng, 0.85)
        text = add_typos(text, rng, rng.randint(1, 3))
        if rng.random() < 0.6:
            text = strip_accents(text)
        if rng.random() < 0.6:
            text = text.lower()
        text = text.replace(", ", rng.choice([" ", ", ", " , "]))
        text = re.sub(r"\.(\s|$)", lambda m: rng.choice(["", " ", "..", "!"]) + m.group(1), text)
        if rng.random() < 0.4:
            text += rng.choice(["!!", "!!!", " ??", "...", " 😭", " 😱😱"])
        return text.strip()
    # shouty
    text = add_typos(text, rng, rng.choice([0, 1]))
    text = _upper_keep_links(text) if rng.random() < 0.7 else text
    text = text.rstrip(".!") + rng.choice(["!!!", " !!!!", "!!!!!!", " ‼️‼️"])
    if rng.random() < 0.6:
        text = rng.choice(EMOJIS["warn"] + EMOJIS["help"]) * rng.randint(1, 3) + " " + text
    return text


HASHTAGS = ["#crue21", "#inondations", "#CotedOr", "#MSGU", "#crue", "#inondation",
            "#Bourgogne", "#intemperies", "#Dijon", "#vigilancerouge"]


def hashtags(rng: random.Random, network: str, commune: str | None, k: int | None = None,
             mood: str = "neutral") -> str:
    """A tail of hashtags, longer on Instagram, sometimes with the commune as a tag."""
    if k is None:
        k = rng.randint(3, 7) if network == "instagram" else rng.choice([0, 0, 1, 1, 2])
    pool = list(HASHTAGS)
    if commune:
        pool += ["#" + strip_accents(commune).replace("-", "").replace("'", "").replace(" ", "")]
    if network == "instagram" and mood in ("neutral", "noise"):
        pool += ["#nature", "#pluie", "#riviere", "#bourgognefranchecomte", "#photooftheday"]
    tags = rng.sample(pool, min(k, len(pool)))
    return " ".join(tags)
