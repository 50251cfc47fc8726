"""Revisions, named NNNN_what.py with revision id "NNNN_what"."""
