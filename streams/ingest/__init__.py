"""Adapters that turn outside formats (copied live blogs) into posts."""
