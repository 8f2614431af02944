"""Export: every language's derived files and the review page, from what the stages wrote."""

from pipeline.export.stage import STAGE, export_session

__all__ = ["STAGE", "export_session"]
