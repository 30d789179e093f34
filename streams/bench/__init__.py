"""``livewire bench``: throughput, latency, memory and scale-out, measured side by side in one run.

Modules: ``workload`` builds the posts, ``kafkarows`` measures the ceiling and the
framework floor, ``pipeline`` drives real workers, ``enrichrate`` times the enrich
stage against spaCy on one core, ``report`` writes the table, JSON and chart, and
``run`` puts the rows together.
"""
