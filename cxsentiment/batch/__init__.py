"""Batch scoring of comment archives: streaming readers and writers, resumable jobs, ``datasets``.

>>> from cxsentiment.batch import parse_stages
>>> parse_stages("sentiment")
('language', 'sentiment')
"""

from .hf import score_dataset
from .job import STAGES, BatchSummary, analyzer_for_stages, parse_stages, score_file
from .readers import Chunk, read_chunks

__all__ = [
    "STAGES",
    "BatchSummary",
    "Chunk",
    "analyzer_for_stages",
    "parse_stages",
    "read_chunks",
    "score_dataset",
    "score_file",
]
