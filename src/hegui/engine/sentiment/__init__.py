"""Sentiment: per-utterance polarity, emotion and agent tone (a shipped linear model), and
per-conversation readings (the customer's trajectory, the agent's tone) as findings."""

from hegui.engine.sentiment.model import (
    EMOTIONS,
    POLARITIES,
    TONES,
    Reading,
    SentimentModel,
)

__all__ = ["EMOTIONS", "POLARITIES", "TONES", "Reading", "SentimentModel"]
