"""Segmentation: where each agenda item starts and ends in the recording."""

from pipeline.segment.options import SegmentOptions
from pipeline.segment.sections import Section, load_sections, section_of, tag
from pipeline.segment.stage import segment_session

__all__ = ["Section", "SegmentOptions", "load_sections", "section_of", "segment_session", "tag"]
