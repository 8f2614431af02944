"""Speakers as programmes list them: labels ("Speakers:", "Modératrice :"), names and roles apart."""

from __future__ import annotations

import re

from pipeline.agenda.model import Speaker

HONORIFIC = (r"(?:Mr|Mrs|Ms|Mx|Miss|Dr|Dra|Prof|Profa|H\.\s?E|S\.\s?E|Hon|Rt\.?\s?Hon|Sen|Rep"
             r"|Amb|M|Mme|Mlle|Me|Pr|Sr|Sra|Srta|Dña|Excmo|Excma|Lic|Ing|Sir|Dame|Lord|Lady"
             r"|Son Excellence|Su Excelencia|His Excellency|Her Excellency|Honourable|Honorable)")
_HONORIFIC_START = re.compile(rf"^{HONORIFIC}(?:\.|\b)(?=\s+[A-ZÀ-Ý])")
_TITLE_WORDS = {"ambassador", "ambassadeur", "ambassadrice", "embajador", "embajadora", "senator",
                "sénateur", "sénatrice", "senador", "senadora", "minister", "ministre", "ministra",
                "ministro", "professor", "professeur", "profesor", "profesora", "judge", "juge",
                "juez", "jueza", "deputy", "député", "députée", "diputado", "diputada", "president",
                "président", "présidente", "presidente", "presidenta", "commissioner", "dean"}
_ROLE_WORDS = _TITLE_WORDS | {
    "director", "directeur", "directrice", "directora", "member", "membre", "miembro",
    "representative", "représentant", "représentante", "representante", "secretary", "secrétaire",
    "secretario", "secretaria", "chair", "chairperson", "vice-chair", "head", "chef", "jefe", "jefa",
    "officer", "adviser", "advisor", "conseiller", "conseillère", "asesor", "asesora", "expert",
    "experte", "experto", "experta", "rapporteur", "rapporteuse", "relator", "relatora",
    "coordinator", "coordinateur", "coordinatrice", "coordinador", "coordinadora", "speaker",
    "general", "général", "générale", "mp", "parliament", "parlement", "parlamento", "committee",
    "comité", "office", "bureau", "oficina", "union", "organization", "organisation", "moderator",
    "chief", "manager", "programme", "program", "team", "specialist", "researcher", "tbc", "tbd",
    "university", "université", "universidad", "institute", "institut", "instituto", "ministry",
    "ministère", "ministerio", "foundation", "fondation", "fundación", "association",
    "asociación", "centre", "center", "centro", "council", "conseil", "consejo", "assembly",
    "assemblée", "asamblea", "senate", "sénat", "senado", "congress", "congreso", "network",
    "réseau", "commission", "comisión", "nations", "naciones", "unies", "unidas", "united",
}
_PARTICLES = {"de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van", "von",
              "der", "den", "ter", "bin", "ibn", "al", "el", "y", "e", "zu", "st."}
_LABELS = {
    "speakers?": "", "panell?ists?": "", "presenters?": "", "discussants?": "",
    "lead discussants?": "", "keynote speakers?": "", "respondents?": "",
    "intervenant(?:e)?s?": "", "orat(?:eur|rice)s?": "", "panélistes?": "", "conférencier(?:e)?s?": "",
    "ponentes?": "", "orador(?:a|es|as)?": "", "panelistas?": "", "intervienen": "",
    "expositor(?:a|es|as)?": "", "participan": "",
    "moderators?": "Moderator", "moderated by": "Moderator", "chairs?": "Chair",
    "chaired by": "Chair", "chairperson": "Chair", "co-chairs?": "Co-chair",
    "facilitators?": "Facilitator", "facilitated by": "Facilitator", "master of ceremonies": "Master of ceremonies",
    "modérateur": "Modérateur", "modératrice": "Modératrice", "modérat(?:eur|rice)s": "Modération",
    "modération": "Modération", "modéré(?:e)? par": "Modération", "présidence": "Présidence",
    "présidé(?:e)? par": "Présidence", "président": "Président", "présidente": "Présidente",
    "animat(?:eur|rice)s?": "Animation", "animé(?:e)? par": "Animation",
    "moderador": "Moderador", "moderadora": "Moderadora", "moderador(?:es|as)": "Moderación",
    "moderación": "Moderación", "moderado por": "Moderación", "moderada por": "Moderación",
    "presidencia": "Presidencia", "presidido por": "Presidencia", "presidida por": "Presidencia",
    "presidente": "Presidente", "presidenta": "Presidenta", "preside": "Presidencia",
    "préside": "Présidence", "modera": "Moderación", "moderan": "Moderación",
    "rapporteurs?": "Rapporteur", "rapporteuse": "Rapporteuse", "corapporteurs?": "Co-rapporteur",
    "relator": "Relator", "relatora": "Relatora",
}
_LABEL = re.compile(r"^\s*(?P<label>" + "|".join(sorted(_LABELS, key=len, reverse=True))
                    + r")\s*(?::|(?<=\bby\s)|(?<=\bpar\s)|(?<=\bpor\s))\s*", re.I)
_SPLIT = re.compile(rf"\s*;\s*|,\s*(?={HONORIFIC}\.?\s)|\s+(?:and|et|y|&)\s+(?={HONORIFIC}\.?\s)"
                    rf"|(?<=\))\s*,?\s*(?=[A-ZÀ-Ý])|(?<=[a-zà-ÿ])\s+(?=(?:Mr|Mrs|Ms|Dr|Mme|Sr|Sra)\.\s)")


def speaker_label(text: str) -> tuple[str, str] | None:
    """(the role the label gives, or "" for a plain "Speakers:", the text after the label),
    when ``text`` starts with a speaker label; None otherwise."""
    match = _LABEL.match(text)
    if not match:
        return None
    label = match.group("label").lower()
    role = next((r for pattern, r in _LABELS.items() if re.fullmatch(pattern, label)), "")
    return role, text[match.end():].strip()


def parse_speakers(text: str, language: str, label_role: str = "") -> list[Speaker]:
    """The speakers listed in ``text`` (one or several), with the label's role added."""
    speakers = []
    for part in split_speakers(text):
        label = speaker_label(part)
        role, part = (label[0] or label_role, label[1]) if label else (label_role, part)
        speaker = parse_speaker(part, language, role)
        if speaker:
            speakers.append(speaker)
    return speakers


def split_speakers(text: str) -> list[str]:
    """Several speakers on one line split apart: at semicolons, before an honorific, after a
    closing bracket, or at commas between plain names ("Ana Ruiz, David Okafor")."""
    parts = [p.strip(" ,.;") for p in _SPLIT.split(text) if p and p.strip(" ,.;")]
    result = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",")]
        if len(pieces) > 1 and all(is_name(p) and not _has_role_word(p)
                                   and not _HONORIFIC_START.match(p) for p in pieces):
            result.extend(pieces)
        else:
            result.append(part)
    return result


def parse_speaker(text: str, language: str, label_role: str = "") -> Speaker | None:
    """One speaker from "Name, role", "Name (role)", "Name – role", a name, or a role alone."""
    text = " ".join(text.split()).strip(" ,;.:-–—•")
    text = re.sub(r"(?<=[^\W\d_])- (?=[A-ZÀ-Ý][a-zà-ÿ])", "-", text)   # "Jean- Paul", wrapped
    if not text:
        return None
    labelled = re.fullmatch(r"([^:]{2,30}?)\s*:\s*(.+)", text)      # "Rapporteur: Ms. A. Bello"
    if labelled and not label_role and is_name(split_name_role(labelled.group(2))[0] or "-"):
        label_role, text = labelled.group(1), labelled.group(2)
    name, role = split_name_role(text)
    if label_role:
        role = f"{role} ({label_role})" if role else label_role
    return Speaker(name=name, roles={language: role} if role else {})


def split_name_role(text: str) -> tuple[str, str]:
    """("Name", "role") of one speaker's text; the name is "" when only a role is given."""
    bracket = re.fullmatch(r"(?P<name>[^()]+?)\s*\((?P<role>[^()]+)\)", text)
    if bracket and is_name(bracket.group("name")):
        return bracket.group("name").strip(), bracket.group("role").strip()
    for separator in (",", " – ", " — ", " - ", ":"):
        head, found, tail = text.partition(separator)
        if found and tail.strip() and is_name(head):
            return head.strip(), tail.strip(" ,")
    return (text, "") if is_name(text) else ("", text)


def is_name(text: str) -> bool:
    """Whether ``text`` reads as a person's name: an honorific and a name, or two to five
    capitalised words (particles such as "de la" between them), perhaps after a title."""
    text = text.strip()
    if not text or len(text) > 70 or re.search(r"\d|[()@/,;:]", text):
        return False
    honorific = _HONORIFIC_START.match(text)
    while honorific:
        text = text[honorific.end():].strip()
        honorific = _HONORIFIC_START.match(text)
        if not honorific:
            words = [w for w in text.split() if w.lower() not in _PARTICLES]
            return 1 <= len(words) <= 5 and all(_capitalised(w) for w in words)
    words = text.split()
    if words[0].lower().strip(".") in _TITLE_WORDS and len(words) >= 3:
        words = words[1:]
    if not 2 <= len(words) <= 5 or _has_role_word(" ".join(words)):
        return False
    return all(_capitalised(w) or w.lower() in _PARTICLES for w in words) and \
        _capitalised(words[0]) and _capitalised(words[-1])


def looks_like_speaker(text: str) -> bool:
    """A short line that starts with a person's name (an unlabelled speaker under an item)."""
    if len(text) > 160:
        return False
    first = split_speakers(text)[0] if text else ""
    name, _ = split_name_role(first)
    return bool(name) and bool(_HONORIFIC_START.match(name) or "," in first or "(" in first)


def _capitalised(word: str) -> bool:
    core = word.strip(".,'’-")
    return bool(core) and core[0].isupper() and not core.isupper() or (
        len(core) <= 2 and core[:1].isupper())


def _has_role_word(text: str) -> bool:
    return any(w.lower().strip(".,") in _ROLE_WORDS for w in text.split())
