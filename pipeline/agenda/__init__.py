"""The agenda: items with scheduled times, read from YAML or drafted from a programme."""

from pipeline.agenda.load import (
           check_against_duration,
           load_agenda,
           parse_agenda,
           recorded_agenda,
)
from pipeline.agenda.model import Agenda, AgendaItem, Speaker

__all__ = ["Agenda", "AgendaItem", "Speaker", "check_against_duration", "load_agenda",
           "parse_agenda", "recorded_agenda"]
