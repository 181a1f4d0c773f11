"""Quality signals per comment: complaint, request, question, praise, churn risk, recommendation intent,
urgency, customer effort and emotion, each a score in [0, 1] with a flag at a documented threshold
(``result.signals.complaint.flag``). How each is scored: :mod:`cxsentiment.signals._model`."""

from ._model import ESCALATION_SCORE, QUESTION_MARK_SCORE, SEEDED, TRAINED, SignalModel

__all__ = ["ESCALATION_SCORE", "QUESTION_MARK_SCORE", "SEEDED", "TRAINED", "SignalModel"]
