"""Options of an archive package: the one place where their defaults live."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

CHECKSUMS = ("sha256", "sha512")
BAGIT_VERSION = "1.0"


def _tag(name: str, help_text: str) -> dict:
    return {"tag": name, "help": help_text}


@dataclass(frozen=True)
class ArchiveOptions:
    """What goes into a bag besides the session's files, and the fields archivists fill.

    Each archivist field carries, in ``metadata["tag"]``, its bag-info.txt label (the
    reserved labels of RFC 8493, section 2.2.2) and in ``metadata["help"]`` the command
    line's help text.
    """

    with_recording: bool = field(default=False, metadata={"help": (
        "Put the original recording in the bag too (data/recording/).")})
    source_organization: str | None = field(default=None, metadata=_tag(
        "Source-Organization", "The organisation transferring the content."))
    organization_address: str | None = field(default=None, metadata=_tag(
        "Organization-Address", "The mailing address of that organisation."))
    contact_name: str | None = field(default=None, metadata=_tag(
        "Contact-Name", "The person responsible for the content."))
    contact_phone: str | None = field(default=None, metadata=_tag(
        "Contact-Phone", "That person's telephone number."))
    contact_email: str | None = field(default=None, metadata=_tag(
        "Contact-Email", "That person's e-mail address."))
    external_description: str | None = field(default=None, metadata=_tag(
        "External-Description", "A description of the content; default: one written from "
        "the meeting's title, date, languages and recording."))
    external_identifier: str | None = field(default=None, metadata=_tag(
        "External-Identifier", "The identifier the archive gives the bag."))
    bag_group_identifier: str | None = field(default=None, metadata=_tag(
        "Bag-Group-Identifier", "The identifier of the group of bags this one belongs to "
        "(a conference, a week of meetings)."))
    internal_sender_identifier: str | None = field(default=None, metadata=_tag(
        "Internal-Sender-Identifier", "The sender's own identifier of the content."))
    internal_sender_description: str | None = field(default=None, metadata=_tag(
        "Internal-Sender-Description", "The sender's own description of the content."))

    def archivist_fields(self) -> dict[str, str]:
        """The bag-info.txt fields given, by their labels, in the RFC's order."""
        return {f.metadata["tag"]: getattr(self, f.name).strip() for f in fields(self)
                if "tag" in f.metadata and (getattr(self, f.name) or "").strip()}


ARCHIVIST_OPTIONS = tuple(f.name for f in fields(ArchiveOptions) if "tag" in f.metadata)
"""The names of the fields archivists fill, as ArchiveOptions names them."""
