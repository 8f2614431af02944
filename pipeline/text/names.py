"""Words that stand around a person's name but are not it: honorifics and roles."""

from __future__ import annotations

TITLES = {
    "mr": "Mr.", "mister": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Ms.", "dr": "Dr.",
    "doctor": "Dr.", "prof": "Prof.", "professor": "Prof.", "ambassador": "Ambassador",
    "honourable": "Honourable", "honorable": "Honourable", "hon": "Honourable", "he": "H.E.",
    "excellency": "H.E.", "senator": "Senator", "madam": "Madam", "madame": "Madam",
    "sir": "Sir", "dame": "Dame", "minister": "Minister", "judge": "Judge",
    "justice": "Justice", "commissioner": "Commissioner", "deputy": "Deputy",
}
"""Titles of address said before a name ("Ambassador Solberg", "H.E. Mr. ..."), lower case
without dots, each with the form a record writes."""

HONORIFICS = frozenset(TITLES) | {"his", "her"}
"""Every word of a title of address, "His Excellency" included."""

ROLES = frozenset("""
    chair chairperson chairman chairwoman co-chair moderator facilitator president minister
    deputy speaker member representative delegate rapporteur director secretary general
""".split())
"""Offices that stand for or beside a name ("the Minister", "Madam Chair")."""

CHAIR_WORDS = frozenset("chair chairperson chairman chairwoman co-chair president moderator "
                        "facilitator".split())
"""Roles that lead the meeting: "Madam Chair" addresses the person who holds one."""

ABBREVIATIONS = frozenset("mr mrs ms dr prof st".split())
"""Short forms written with a full stop that does not end the sentence ("Dr. Mensah")."""
