"""The monthly 经济运行简报: its content built from pace rows and plain data (pure: no I/O, no clock).

Import from here; the modules inside are private. Writers (.docx, PDF, HTML) lay out a `Briefing`.
"""

from __future__ import annotations

from monitor.domain.briefing.build import OFFICE, build_briefing
from monitor.domain.briefing.html import render_html
from monitor.domain.briefing.model import Block, Briefing, BriefingInputs, Chart, Heading, Paragraph, Section, Table
from monitor.domain.briefing.outlook import likelihood_words, rest_of_year
from monitor.domain.briefing.phrases import (
    EVEN_PP,
    amount,
    change_phrase,
    gap_change_phrase,
    growth_phrase,
    pace_phrase,
    versus_phrase,
)
from monitor.domain.briefing.sentences import indicator_sentence, period_words, target_words
from monitor.domain.briefing.tables import HEADLINE_INDICATORS, NOT_EXPLAINED, split_note

__all__ = [
    "EVEN_PP",
    "HEADLINE_INDICATORS",
    "NOT_EXPLAINED",
    "OFFICE",
    "Block",
    "Briefing",
    "BriefingInputs",
    "Chart",
    "Heading",
    "Paragraph",
    "Section",
    "Table",
    "amount",
    "build_briefing",
    "change_phrase",
    "gap_change_phrase",
    "growth_phrase",
    "indicator_sentence",
    "likelihood_words",
    "pace_phrase",
    "period_words",
    "render_html",
    "rest_of_year",
    "split_note",
    "target_words",
    "versus_phrase",
]
