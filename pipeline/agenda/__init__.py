"""The agenda: items with scheduled times, read from YAML or drafted from a programme."""

from pipeline.agenda.load import check_against_duration, load_agenda, parse_agenda
from pipeline.agenda.model import Agenda, AgendaItem, Speaker

__all__ = ["Agenda", "AgendaItem", "check_against_duration", "load_agenda", "parse_agenda", "Speaker"]
