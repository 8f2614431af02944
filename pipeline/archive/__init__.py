"""BagIt packages (RFC 8493) of verified session folders, and their validation."""

from pipeline.archive.bag import ArchiveResult, archive_session
from pipeline.archive.check import BagCheck, is_bag, validate_bag
from pipeline.archive.options import ArchiveOptions

__all__ = ["ArchiveOptions", "ArchiveResult", "BagCheck", "archive_session", "is_bag",
           "validate_bag"]
