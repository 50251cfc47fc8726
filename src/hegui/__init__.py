"""hegui (合规): compliance inspection for Chinese financial customer service."""

from hegui.engine.model import Conversation, Finding, Utterance
from hegui.inspector import Inspector

__version__ = "0.1.0"
__all__ = ["Conversation", "Finding", "Inspector", "Utterance", "__version__"]
