"""``python -m streams …`` runs the ``livewire`` command line."""

from streams.cli import main

main()
