"""Livewire: live-blog posts to enriched posts, claims and alerts on Kafka."""

__version__ = "0.1.0"
