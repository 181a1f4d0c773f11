"""Text utilities shared by every stage: normalisation, Unicode scripts, sentence splitting."""

from .normalize import clean_for_detection, normalize
from .script import dominant_script, letter_evidence, script_counts, script_evidence, script_of
from .sentences import clause_spans, one_sentence, script_segments, sentence_spans

__all__ = [
    "clause_spans",
    "clean_for_detection",
    "dominant_script",
    "letter_evidence",
    "normalize",
    "one_sentence",
    "script_counts",
    "script_evidence",
    "script_of",
    "script_segments",
    "sentence_spans",
]
