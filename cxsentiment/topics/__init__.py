"""What each comment is about: topic mentions with aspect sentiment (taxonomy topics), and discovery of
topics the taxonomy does not cover."""

from ._model import TopicModel, load_topic_heads
from .stage import TopicStage

__all__ = ["TopicModel", "TopicStage", "load_topic_heads"]
