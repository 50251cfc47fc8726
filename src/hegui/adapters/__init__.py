"""Adapters: hegui's connections to the world outside (notifiers, and later ASR, LLMs).

Each adapter is a one-method Protocol with a fake shipped beside the real implementations.
Nothing here is imported by the engine.
"""
