"""Words that stand around a person's name but are not it: honorifics and roles."""

from __future__ import annotations

HONORIFICS = frozenset("""
    mr mrs ms miss mister dr doctor madam madame professor prof sir dame ambassador
    excellency his her honourable honorable hon senator
""".split())
"""Titles of address said before a name ("Ambassador Solberg", "His Excellency Mr ...")."""

ROLES = frozenset("""
    chair chairperson chairman chairwoman moderator president minister deputy speaker member
    representative director secretary general
""".split())
"""Offices that stand for or beside a name ("the Minister", "Madam Chair")."""

ABBREVIATIONS = frozenset("mr mrs ms dr prof st".split())
"""Short forms written with a full stop that does not end the sentence ("Dr. Mensah")."""
