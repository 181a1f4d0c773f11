"""Text utilities shared by every stage: normalisation, Unicode scripts, sentence splitting, non-answers."""

from .content import is_non_answer, names_no_topic
from .normalize import clean_for_detection, normalize
from .script import dominant_script, letter_evidence, script_counts, script_evidence, script_of
from .sentences import clause_spans, one_sentence, script_segments, sentence_spans

__all__ = [
    "clause_spans",
    "clean_for_detection",
    "dominant_script",
    "is_non_answer",
    "letter_evidence",
    "names_no_topic",
    "normalize",
    "one_sentence",
    "script_counts",
    "script_evidence",
    "script_of",
    "script_segments",
    "sentence_spans",
]
