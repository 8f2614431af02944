"""Segmentation: where each agenda item starts and ends in the recording."""

from pipeline.segment.options import SegmentOptions
from pipeline.segment.stage import STAGE, build_sections, segment_session

__all__ = ["STAGE", "SegmentOptions", "build_sections", "segment_session"]
